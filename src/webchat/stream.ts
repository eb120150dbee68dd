import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Conversation } from '../conversation/conversation.js';
import type { Db } from '../storage/database.js';
import { findConversation } from '../conversation/conversation-repository.js';
import { listMessages } from '../conversation/message-repository.js';
import type { LiveEvent, LiveHub } from './live-hub.js';
import { conversationView, messageView } from './message-view.js';

const PING_MS = 20_000;
/** Messages read and sent per step of a replay. */
const REPLAY_PAGE = 200;
/**
 * The most an opening stream holds back to send as one write. Held-back bytes count as queued for the
 * client, so holding a whole page of long messages would trip the drop limit (maxBufferedBytes).
 */
const FIRST_WRITE_BYTES = 16 * 1024;

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
 *
 * An idle stream may live for hours and there may be thousands: its state is one object with a fixed
 * shape and three small callbacks, holding the conversation's id and nothing else it was opened with.
 */
class LiveStream {
  private replaying = true;
  private backlog: LiveEvent[] = [];
  private closed = false;
  private stalled: NodeJS.Timeout | undefined = undefined;
  private readonly ping: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly offShutdown: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly conversationId: string,
    private cursor: number,
    private readonly limits: StreamDropLimits,
    private readonly log: Logger,
    hub: LiveHub,
    onClose: () => void,
  ) {
    this.unsubscribe = hub.subscribe(conversationId, (event) =>
      this.replaying ? this.backlog.push(event) : this.send(event),
    );
    this.ping = setInterval(() => this.write(': ping\n\n'), PING_MS);
    // At shutdown the stream ends cleanly; the client reconnects with its last seq and misses nothing.
    this.offShutdown = hub.onShutdown(() => res.end());
    res.on('close', () => {
      onClose();
      this.closed = true;
      clearInterval(this.ping);
      clearTimeout(this.stalled);
      this.unsubscribe();
      this.offShutdown();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Passes events held back while replaying, then every event as it comes. */
  goLive(): void {
    this.replaying = false;
    for (const event of this.backlog.splice(0)) this.send(event);
  }

  /** Cuts off a client that stopped reading rather than queueing for it without bound. */
  drop = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.log.warn({ conversationId: this.conversationId }, 'closing a stream whose client stopped reading');
    this.res.destroy();
  };

  write(chunk: string): void {
    if (this.closed) return;
    const res = this.res;
    if (res.writableLength > this.limits.maxBufferedBytes) return this.drop();
    if (!res.write(chunk) && !this.stalled) {
      this.stalled = setTimeout(this.drop, this.limits.stallMs);
      res.once('drain', () => {
        clearTimeout(this.stalled);
        this.stalled = undefined;
      });
    }
  }

  send(event: LiveEvent): void {
    if (this.closed) return;
    if (event.kind === 'status') {
      const status = {
        id: this.conversationId,
        status: event.status,
        ...(event.agent ? { agent: event.agent } : {}),
      };
      return this.write(`event: status\ndata: ${JSON.stringify(status)}\n\n`);
    }
    const m = event.message;
    const isUpdate = Boolean(m.editedAt || m.deletedAt);
    if (m.seq <= this.cursor && !isUpdate) return;
    if (m.seq > this.cursor) this.cursor = m.seq;
    this.write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(messageView(m))}\n\n`);
  }
}

export async function openStream(
  deps: { db: Db; hub: LiveHub; log: Logger; limits: StreamDropLimits },
  res: ServerResponse,
  conversation: Conversation,
  after: number,
  /**
   * The API's own headers, what to do when the stream closes (one listener, not two: see stream-route),
   * and the hub's `changes()` from before `conversation` was read.
   */
  opts: { headers: Record<string, string>; onClose: () => void; changesBefore: number },
): Promise<void> {
  res.writeHead(200, {
    ...opts.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const stream = new LiveStream(res, conversation.id, after, deps.limits, deps.log, deps.hub, opts.onClose);
  try {
    // Subscribed now, so every change published from here on reaches the stream. If none was published
    // since the conversation was read, the read is current (a change is published after its commit), and
    // a client already up to date needs no replay query; if one was, the conversation is read again, as
    // its status (a claim, say) may have changed before the stream could hear of it.
    const current =
      deps.hub.changes() === opts.changesBefore
        ? conversation
        : ((await findConversation(deps.db, conversation.id)) ?? conversation);
    const status = await conversationView(deps.db, current);
    // The headers, the retry hint, the status and the start of the replay (16 kB and the event that
    // passes it) leave in one write, not one each: in a reconnect storm every open is a write to a
    // socket, and writes were a fifth of the time.
    res.cork();
    stream.write('retry: 2000\n\n');
    stream.send({ kind: 'status', ...status });
    let corked = true;
    const uncork = () => {
      if (corked) res.uncork();
      corked = false;
    };
    // Replayed a page at a time, and within a page as fast as the client takes it: a page of long
    // messages (200 × 4,000 characters) is more than a stream may queue (maxBufferedBytes), so the replay
    // waits for the socket to drain rather than queueing past the limit and dropping a client that reads.
    for (let from = after; from < current.lastSeq && !stream.isClosed;) {
      const page = await listMessages(deps.db, conversation.id, from, REPLAY_PAGE);
      for (const m of page) {
        stream.send({ kind: 'message', message: m });
        if (corked && res.writableLength > FIRST_WRITE_BYTES) uncork();
        if (!corked && res.writableNeedDrain) await drained(res);
        if (stream.isClosed) break;
      }
      if (page.length < REPLAY_PAGE || stream.isClosed) break;
      from = page.at(-1)!.seq;
    }
    uncork();
    stream.goLive();
  } catch (error) {
    // Headers are sent: the error handler cannot answer. End the stream; the client reconnects and resumes.
    deps.log.error({ err: error, conversationId: conversation.id }, 'stream replay failed');
    res.destroy();
  }
}

/** Resolves when the socket has taken what was queued, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}
