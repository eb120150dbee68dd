import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxChange } from '../types.js';
import { parseWith, queryOf, sendJson } from './http-io.js';
import { eventsQuery, type UiSandbox } from './schemas.js';

const KEEP = 500;
const DEFAULT_WAIT_MS = 20_000;
/** Changes often come in bursts (post + ephemeral + view); wait this long to send them together. */
const BATCH_MS = 40;

interface Numbered {
  seq: number;
  change: SandboxChange;
}

export interface FeedReply {
  seq: number;
  changes: SandboxChange[];
  /** True when `since` is older than what the feed kept: the page should refetch everything. */
  reset: boolean;
}

/**
 * Numbers the sandbox's changes and answers long polls (`GET /ui/events?since=N`):
 * a poll returns at once when something newer than N happened, otherwise when the
 * next change arrives or after `wait` ms. API-call records are left out; the view
 * doesn't render them.
 */
export class ChangeFeed {
  private seq = 0;
  private readonly kept: Numbered[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(sandbox: Pick<UiSandbox, 'onChange'>) {
    this.unsubscribe = sandbox.onChange((change) => this.push(change));
  }

  get current(): number {
    return this.seq;
  }

  private push(change: SandboxChange): void {
    if (change.kind === 'call' || change.kind === 'response') return;
    this.seq += 1;
    this.kept.push({ seq: this.seq, change });
    if (this.kept.length > KEEP) this.kept.splice(0, this.kept.length - KEEP);
    for (const wake of [...this.waiters]) wake();
  }

  since(since: number): FeedReply {
    const oldest = this.kept[0]?.seq ?? this.seq + 1;
    const reset = since > this.seq || (since < this.seq && since + 1 < oldest);
    const changes = this.kept.filter((n) => n.seq > since).map((n) => n.change);
    return { seq: this.seq, changes, reset };
  }

  /** Resolves with the changes after `since`, waiting up to waitMs for one; `abort` ends the wait early. */
  wait(since: number, waitMs: number, abort?: AbortSignal): Promise<FeedReply> {
    if (since !== this.seq || waitMs === 0) return Promise.resolve(this.since(since));
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        this.waiters.delete(wake);
        if (timer) clearTimeout(timer);
        abort?.removeEventListener('abort', finish);
        resolve(this.since(since));
      };
      const wake = () => {
        this.waiters.delete(wake);
        if (timer) clearTimeout(timer);
        timer = setTimeout(finish, BATCH_MS);
      };
      this.waiters.add(wake);
      timer = setTimeout(finish, waitMs);
      abort?.addEventListener('abort', finish);
    });
  }

  /** GET /ui/events: without `since` answers the current position at once. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = parseWith(eventsQuery, queryOf(url));
    if (q.since === undefined) {
      sendJson(res, 200, { seq: this.seq, changes: [], reset: false });
      return;
    }
    const gone = new AbortController();
    const onClose = () => gone.abort();
    res.on('close', onClose);
    req.socket.setTimeout(0);
    const reply = await this.wait(q.since, q.wait ?? DEFAULT_WAIT_MS, gone.signal);
    res.off('close', onClose);
    if (!res.destroyed && !res.writableEnded) sendJson(res, 200, reply);
  }

  close(): void {
    this.unsubscribe();
    for (const wake of [...this.waiters]) wake();
  }
}
