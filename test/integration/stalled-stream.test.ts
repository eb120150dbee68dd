import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/conversation/conversation.js';
import { captureLog } from '../support/smtp-sink.js';
import { type Harness, type Session, startHarness } from './harness.js';

/**
 * A live stream whose client stops reading must not hold its socket and a growing buffer for ever
 * (issue 11): it is dropped when too much is queued for it, or when its socket stays full too long.
 * The client here is a raw socket that sends the request, reads the headers and then never reads again,
 * so the kernel's buffers fill and the server's writes back up, as with a stalled phone.
 */
let h: Harness | undefined;
let socket: net.Socket | undefined;
afterEach(async () => {
  socket?.destroy();
  await h?.stop();
  h = undefined;
});

/** Opens a stream on a raw socket and stops reading once the response has begun. */
function stalledReader(base: string, s: Session): Promise<net.Socket> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname);
    socket = sock;
    sock.once('error', reject);
    sock.write(
      `GET /api/v1/conversations/${s.id}/stream HTTP/1.1\r\nHost: ${hostname}\r\n` +
        `Authorization: Bearer ${s.token}\r\n\r\n`,
    );
    sock.once('data', (chunk: Buffer) => {
      expect(chunk.toString()).toMatch(/^HTTP\/1\.1 200/);
      sock.pause();
      resolve(sock);
    });
  });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Publishes 10 KB agent messages to the conversation's live stream until the server has dropped the
 * stream (nobody watches it any more) or `maxBytes` went out. Resolves with what was published.
 */
async function publishUntilDropped(harness: Harness, s: Session, maxBytes: number): Promise<number> {
  const text = 'x'.repeat(10_000);
  let sent = 0;
  for (let seq = 1000; harness.baton.deps.live.isWatched(s.id) && sent < maxBytes; seq += 1) {
    const message: Message = {
      id: `m_stall_${seq}`,
      conversationId: s.id,
      seq,
      author: 'agent',
      agent: { name: 'Alex' },
      text,
      createdAt: new Date(0).toISOString(),
    };
    harness.baton.hub.message(s.id, message);
    sent += text.length;
    await tick();
  }
  return sent;
}

describe('a live stream whose client stopped reading', () => {
  it('is dropped once more than its buffer allowance is queued for it, and frees its slot', async () => {
    const { lines, log } = captureLog();
    // One stream per conversation, and a stall time that cannot be what drops it here.
    h = await startHarness({}, { streamsPerConversation: 1, streamStallSeconds: 600 }, undefined, log);
    const s = await h.chat.start();
    await stalledReader(h.baton.url, s);
    expect(h.baton.deps.live.isWatched(s.id)).toBe(true);

    // Loopback buffers take a few MB before the server's own queue grows; 64 MB is far beyond both.
    const sent = await publishUntilDropped(h, s, 64 * 2 ** 20);
    expect(h.baton.deps.live.isWatched(s.id), `still open after ${sent} bytes`).toBe(false);
    expect(lines.join('')).toContain('closing a stream whose client stopped reading');
    // Its slot is free again: the customer's next stream opens (the cap is one per conversation).
    const next = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/stream`, {
      headers: { authorization: `Bearer ${s.token}` },
      signal: AbortSignal.timeout(5000),
    });
    expect(next.status).toBe(200);
    await next.body?.cancel();
  }, 30_000);

  it('is dropped when its socket stays full for the stall time, even with little queued', async () => {
    const { lines, log } = captureLog();
    h = await startHarness({}, { streamStallSeconds: 1, streamBufferKB: 64 * 1024 }, undefined, log);
    const s = await h.chat.start();
    await stalledReader(h.baton.url, s);

    // Fill the socket, then stop: what is queued stays far below the (raised) buffer allowance.
    const started = Date.now();
    await publishUntilDropped(h, s, 32 * 2 ** 20);
    while (h.baton.deps.live.isWatched(s.id) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(h.baton.deps.live.isWatched(s.id)).toBe(false);
    expect(lines.join('')).toContain('closing a stream whose client stopped reading');
  }, 30_000);

  it('is kept while its client reads, however much goes through', async () => {
    h = await startHarness({}, { streamStallSeconds: 1, streamBufferKB: 256 });
    const s = await h.chat.start();
    const reader = await stalledReader(h.baton.url, s);
    let received = '';
    reader.on('data', (chunk: Buffer) => {
      if (received.length < 100_000) received += chunk.toString();
    });
    reader.resume();
    // Flooded only once the stream is live: events that arrive while it replays the history wait in
    // memory and leave together, and a burst of them over the allowance drops even a reading client
    // (which then resumes from its last message). The replay reads the database, so on PostgreSQL it
    // takes long enough for this flood to pile up.
    const marker: Message = {
      id: 'm_live_marker',
      conversationId: s.id,
      seq: 999,
      author: 'agent',
      agent: { name: 'Alex' },
      text: 'live now',
      createdAt: new Date(0).toISOString(),
    };
    const deadline = Date.now() + 5_000;
    while (!received.includes('live now') && Date.now() < deadline) {
      h.baton.hub.message(s.id, marker);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sent = await publishUntilDropped(h, s, 16 * 2 ** 20);
    expect(sent).toBeGreaterThanOrEqual(16 * 2 ** 20);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(h.baton.deps.live.isWatched(s.id)).toBe(true);
  }, 30_000);
});
