import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../conversation/conversation.js';
import {
  commitStatus,
  findConversation,
  insertConversation,
  nextSeq,
} from '../conversation/conversation-repository.js';
import { insertMessage } from '../conversation/message-repository.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { createLiveHub } from './live-hub.js';
import { createSseParser, type SseEvent } from './public/stream-parser.js';
import { openStream } from './stream.js';

/**
 * What a stream opens with when the conversation it was handed may be stale: the route reads the
 * conversation, and a change can be committed and published before the stream has subscribed to hear of
 * it. The hub's change count tells the two cases apart.
 */
const NOW = '2026-12-02T10:00:00.000Z';
let opened: OpenedDatabase | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  await opened?.close();
});

/** A conversation as the route read it (bot, one message), then a status change and a message after. */
async function readThenChanged(): Promise<Conversation> {
  opened = openDatabase(':memory:');
  const { db } = opened;
  await migrateToLatest(db);
  await insertConversation(db, { id: 'c1', tokenHash: 'x', customer: {}, metadata: {}, now: NOW });
  await nextSeq(db, 'c1', NOW);
  await insertMessage(
    db,
    { id: 'm1', conversationId: 'c1', author: 'customer', text: 'hi', createdAt: NOW },
    1,
  );
  const read = await findConversation(db, 'c1');
  if (!read) throw new Error('conversation not stored');
  await commitStatus(db, 'c1', read, 'waiting', NOW);
  await nextSeq(db, 'c1', NOW);
  await insertMessage(
    db,
    { id: 'm2', conversationId: 'c1', author: 'bot', text: 'a person will be with you', createdAt: NOW },
    2,
  );
  return read;
}

/**
 * Opens a stream from seq 1 on `read`, with `published` changes published after the read, and ends it
 * once it has opened (status and replay sent): everything it opened with.
 */
async function firstEvents(read: Conversation, published: number): Promise<SseEvent[]> {
  const hub = createLiveHub();
  const changesBefore = hub.changes();
  for (let i = 0; i < published; i += 1) hub.status('another-conversation', 'waiting');
  const deps = {
    db: opened!.db,
    hub,
    log: pino({ level: 'silent' }),
    limits: { maxBufferedBytes: 1 << 20, stallMs: 30_000 },
  };
  server = http.createServer(
    (_req, res) =>
      void openStream(deps, res, read, 1, { headers: {}, onClose: () => {}, changesBefore }).then(() =>
        res.end(),
      ),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const parser = createSseParser({ onEvent: (event) => events.push(event) });
    http
      .get(`http://127.0.0.1:${port}/`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.push(chunk));
        res.on('end', () => resolve(events));
      })
      .on('error', reject);
  });
}

describe('openStream', () => {
  it('reads the conversation again when a change was published since the route read it', async () => {
    const read = await readThenChanged();
    const events = await firstEvents(read, 1);
    expect(events.map((e) => e.event)).toEqual(['status', 'message']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ status: 'waiting' });
    expect(events[1]!.id).toBe('2');
  });

  it('trusts the read when nothing was published since: no second read, no replay for a client up to date', async () => {
    const read = await readThenChanged();
    // Nothing published means nothing committed after the read (a commit is published after it); the
    // database here was changed behind the hub's back, so what the stream sends shows which it used.
    const events = await firstEvents(read, 0);
    expect(events.map((e) => e.event)).toEqual(['status']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ status: 'bot' });
  });
});
