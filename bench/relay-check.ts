import { WebClient } from '@slack/web-api';
import SQLite from 'better-sqlite3';
import { z } from 'zod';

const page = z.object({
  messages: z
    .array(z.object({ ts: z.string(), text: z.string().optional(), thread_ts: z.string().optional() }))
    .optional(),
});

/** The bench's customer lines carry "question number N"; a coalesced post carries several. */
const numbersIn = (text: string) => [...text.matchAll(/question number (\d+)/g)].map((m) => Number(m[1]));

/**
 * Where each bench line was stored: question number → its seq in its conversation, read from the
 * server's database (WAL lets this reader in while the server runs). Under overload the generator has
 * several lines of one conversation in flight at once, so they may be stored in another order than it
 * sent them; the relay owes Slack the stored order, which is also the order the customer's chat shows.
 */
export function storedOrder(dbPath: string): Map<number, number> {
  const db = new SQLite(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = z
      .array(z.object({ seq: z.number(), text: z.string() }))
      .parse(db.prepare("select seq, text from messages where author = 'customer'").all());
    const order = new Map<number, number>();
    for (const row of rows) for (const n of numbersIn(row.text)) order.set(n, row.seq);
    return order;
  } finally {
    db.close();
  }
}

export interface RelayCheck {
  /** Distinct customer lines found in the threads. */
  relayed: number;
  /** Arrivals beyond the first of a line (in its thread or another). */
  doubled: number;
  /** Lines that arrived before a line stored earlier in the same conversation. */
  outOfOrder: number;
  /** Lines that arrived before a line the generator sent earlier (not a fault by itself: see `storedOrder`). */
  outOfSendingOrder: number;
  /** Lines found in a thread that the database does not hold (should be 0). */
  notStored: number;
  /** Lines the database holds that never reached a thread (should be 0; acknowledged ones are among them). */
  missing: number;
  /** How long after the load stopped the last line arrived. */
  drainSeconds: number;
}

/**
 * Numbers in the order they arrived in one thread or channel: how many, how many twice, how many late.
 * A number is late when it arrived right after one that `rank` puts after it (by default, the numbers'
 * own order, which is the order they were sent in).
 */
export function countArrivals(seen: readonly number[], rank: (n: number) => number = (n) => n) {
  const distinct = new Set(seen).size;
  return {
    distinct,
    doubled: seen.length - distinct,
    outOfOrder: seen.filter((n, k) => k > 0 && rank(n) < rank(seen[k - 1]!)).length,
  };
}

/**
 * What reached Slack, judged against what was stored: `threads` holds the bench numbers of each card's
 * thread in the order they arrived there, `stored` each stored line's seq (storedOrder).
 */
export function judgeRelay(threads: readonly (readonly number[])[], stored: ReadonlyMap<number, number>) {
  const all = threads.flat();
  const arrived = new Set(all);
  const rank = (n: number) => stored.get(n) ?? Number.POSITIVE_INFINITY;
  let outOfOrder = 0;
  let outOfSendingOrder = 0;
  for (const seen of threads) {
    // A line the database does not hold is counted once, as not stored, not also as late.
    outOfOrder += countArrivals(
      seen.filter((n) => stored.has(n)),
      rank,
    ).outOfOrder;
    outOfSendingOrder += countArrivals(seen).outOfOrder;
  }
  return {
    relayed: arrived.size,
    doubled: all.length - arrived.size,
    outOfOrder,
    outOfSendingOrder,
    notStored: [...arrived].filter((n) => !stored.has(n)).length,
    missing: [...stored.keys()].filter((n) => !arrived.has(n)).length,
  };
}

/**
 * Reads every card's thread from the Slack stand-in until every line the server stored (and at least
 * the `acknowledged` ones) has arrived, or `timeoutMs` passes: nothing stored may be lost, doubled or
 * reordered on its way. Slack is read before the database, so a line relayed during the read is
 * always found stored (a line is stored before it is relayed).
 */
export async function checkRelayed(opts: {
  apiUrl: string;
  token: string;
  channel: string;
  acknowledged: number;
  timeoutMs: number;
  /** Cards posted before this run (the stand-in outlives each Baton server): their threads are not counted. */
  skipCards: ReadonlySet<string>;
  /** The Baton server's database file, for the order lines were stored in. */
  dbPath: string;
}): Promise<RelayCheck> {
  const client = new WebClient(opts.token, { slackApiUrl: opts.apiUrl });
  const started = performance.now();
  for (;;) {
    const threads: number[][] = [];
    for await (const history of client.paginate('conversations.history', {
      channel: opts.channel,
      limit: 200,
    })) {
      for (const card of page.parse(history).messages ?? []) {
        if (opts.skipCards.has(card.ts)) continue;
        const seen: number[] = [];
        for await (const replies of client.paginate('conversations.replies', {
          channel: opts.channel,
          ts: card.ts,
          limit: 200,
        })) {
          for (const reply of page.parse(replies).messages ?? [])
            if (reply.ts !== card.ts) seen.push(...numbersIn(reply.text ?? ''));
        }
        threads.push(seen);
      }
    }
    const judged = judgeRelay(threads, storedOrder(opts.dbPath));
    const drainSeconds = (performance.now() - started) / 1000;
    const done = judged.missing === 0 && judged.relayed >= opts.acknowledged;
    if (done || drainSeconds * 1000 > opts.timeoutMs) return { ...judged, drainSeconds };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The timestamps of the cards already in `channel`. */
export async function cardsIn(opts: {
  apiUrl: string;
  token: string;
  channel: string;
}): Promise<Set<string>> {
  const client = new WebClient(opts.token, { slackApiUrl: opts.apiUrl });
  const cards = new Set<string>();
  for await (const history of client.paginate('conversations.history', { channel: opts.channel, limit: 200 }))
    for (const card of page.parse(history).messages ?? []) cards.add(card.ts);
  return cards;
}
