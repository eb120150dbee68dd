import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Conversation } from '../conversation/conversation.js';
import type { Db } from '../storage/database.js';
import { listMessages } from '../conversation/message-repository.js';
import type { LiveEvent, LiveHub } from './live-hub.js';
import { conversationView, messageView } from './message-view.js';

const PING_MS = 20_000;
/** A client that stops reading gets cut off rather than growing our memory without bound. */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** A client whose socket stays full this long has stopped reading: its connection is freed for others. */
const STALL_MS = 30_000;

/**
 * Server-sent events for one conversation, resumable from a seq: subscribe first, then replay
 * what is stored after the cursor, then pass live events through, skipping any seq already sent.
 * Edits and deletions reuse their message's seq and always pass.
 */
export async function openStream(
  deps: { db: Db; hub: LiveHub; log: Logger },
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
    deps.log.warn({ conversationId: conversation.id }, 'closing a stream whose client stopped reading');
    res.destroy();
  };
  const write = (chunk: string) => {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return drop();
    if (!res.write(chunk) && !stalled) {
      stalled = setTimeout(drop, STALL_MS);
      res.once('drain', () => {
        clearTimeout(stalled);
        stalled = undefined;
      });
    }
  };
  const send = (event: LiveEvent) => {
    if (event.kind === 'status') {
      write(
        `event: status\ndata: ${JSON.stringify({ id: conversation.id, status: event.status, ...(event.agent ? { agent: event.agent } : {}) })}\n\n`,
      );
      return;
    }
    const m = event.message;
    const isUpdate = Boolean(m.editedAt || m.deletedAt);
    if (m.seq <= cursor && !isUpdate) return;
    if (m.seq > cursor) cursor = m.seq;
    write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(messageView(m))}\n\n`);
  };

  const unsubscribe = deps.hub.subscribe(conversation.id, (event) =>
    replaying ? backlog.push(event) : send(event),
  );
  const ping = setInterval(() => write(': ping\n\n'), PING_MS);
  // At shutdown the stream ends cleanly; the client reconnects with its last seq and misses nothing.
  const offShutdown = deps.hub.onShutdown(() => res.end());
  req.on('close', () => {
    closed = true;
    clearInterval(ping);
    clearTimeout(stalled);
    unsubscribe();
    offShutdown();
  });

  write('retry: 2000\n\n');
  send({ kind: 'status', ...(await conversationView(deps.db, conversation)) });
  for (const m of await listMessages(deps.db, conversation.id, after, 10_000))
    send({ kind: 'message', message: m });
  replaying = false;
  for (const event of backlog.splice(0)) send(event);
}
