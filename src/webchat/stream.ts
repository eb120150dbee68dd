import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Conversation } from '../conversation/conversation.js';
import type { Db } from '../storage/database.js';
import { listMessages } from '../conversation/message-repository.js';
import type { LiveEvent, LiveHub } from './live-hub.js';
import { conversationView, messageView } from './message-view.js';

const PING_MS = 20_000;
/** Messages read and sent per step of a replay. */
const REPLAY_PAGE = 200;

/**
 * When a stream's client counts as gone: a client that stops reading is cut off rather than growing our
 * memory without bound, and its connection is freed for others.
 */
export interface StreamDropLimits {
  /** Closed at once when more than this is queued for the client. */
  maxBufferedBytes: number;
  /** Closed when its socket has stayed full this long. */
  stallMs: number;
}

/**
 * Server-sent events for one conversation, resumable from a seq: subscribe first, then replay
 * what is stored after the cursor, then pass live events through, skipping any seq already sent.
 * Edits and deletions reuse their message's seq and always pass.
 */
export async function openStream(
  deps: { db: Db; hub: LiveHub; log: Logger; limits: StreamDropLimits },
  req: Request,
  res: Response,
  conversation: Conversation,
  after: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let cursor = after;
  let replaying = true;
  const backlog: LiveEvent[] = [];
  let closed = false;

  let stalled: NodeJS.Timeout | undefined;
  const drop = () => {
    if (closed) return;
    closed = true;
    deps.log.warn({ conversationId: conversation.id }, 'closing a stream whose client stopped reading');
    res.destroy();
  };
  const write = (chunk: () => string) => {
    if (closed) return;
    if (res.writableLength > deps.limits.maxBufferedBytes) return drop();
    if (!res.write(chunk()) && !stalled) {
      stalled = setTimeout(drop, deps.limits.stallMs);
      res.once('drain', () => {
        clearTimeout(stalled);
        stalled = undefined;
      });
    }
  };
  const send = (event: LiveEvent) => {
    if (event.kind === 'status') {
      const status = {
        id: conversation.id,
        status: event.status,
        ...(event.agent ? { agent: event.agent } : {}),
      };
      write(() => `event: status\ndata: ${JSON.stringify(status)}\n\n`);
      return;
    }
    const m = event.message;
    const isUpdate = Boolean(m.editedAt || m.deletedAt);
    if (m.seq <= cursor && !isUpdate) return;
    if (m.seq > cursor) cursor = m.seq;
    write(() => `id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(messageView(m))}\n\n`);
  };

  const unsubscribe = deps.hub.subscribe(conversation.id, (event) =>
    replaying ? backlog.push(event) : send(event),
  );
  const ping = setInterval(() => write(() => ': ping\n\n'), PING_MS);
  // At shutdown the stream ends cleanly; the client reconnects with its last seq and misses nothing.
  const offShutdown = deps.hub.onShutdown(() => res.end());
  res.on('close', () => {
    closed = true;
    clearInterval(ping);
    clearTimeout(stalled);
    unsubscribe();
    offShutdown();
  });

  try {
    write(() => 'retry: 2000\n\n');
    send({ kind: 'status', ...(await conversationView(deps.db, conversation)) });
    // Replayed a page at a time, waiting for the client to take each: a client that does not read is
    // dropped after one page instead of making the server serialise the whole history for nothing.
    for (let from = after; !closed;) {
      const page = await listMessages(deps.db, conversation.id, from, REPLAY_PAGE);
      for (const m of page) send({ kind: 'message', message: m });
      if (page.length < REPLAY_PAGE) break;
      from = page.at(-1)!.seq;
      if (res.writableNeedDrain)
        await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    replaying = false;
    for (const event of backlog.splice(0)) send(event);
  } catch (error) {
    // Headers are sent: the error handler cannot answer. End the stream; the client reconnects and resumes.
    deps.log.error({ err: error, conversationId: conversation.id }, 'stream replay failed');
    res.destroy();
  }
}
