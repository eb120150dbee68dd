import { WebClient } from '@slack/web-api';
import { z } from 'zod';

const page = z.object({
  messages: z
    .array(z.object({ ts: z.string(), text: z.string().optional(), thread_ts: z.string().optional() }))
    .optional(),
});

/** The bench's customer lines carry "question number N"; a coalesced post carries several. */
const numbersIn = (text: string) => [...text.matchAll(/question number (\d+)/g)].map((m) => Number(m[1]));

export interface RelayCheck {
  /** Distinct customer lines found in the threads. */
  relayed: number;
  /** Lines that arrived more than once. */
  doubled: number;
  /** Lines that arrived before a line sent earlier in the same thread. */
  outOfOrder: number;
  /** How long after the load stopped the last line arrived. */
  drainSeconds: number;
}

/** Numbers in the order they arrived in one thread or channel: how many, how many twice, how many late. */
export function countArrivals(seen: readonly number[]) {
  const distinct = new Set(seen).size;
  return {
    distinct,
    doubled: seen.length - distinct,
    outOfOrder: seen.filter((n, k) => k > 0 && n < seen[k - 1]!).length,
  };
}

/**
 * Reads every card's thread from the Slack stand-in until at least `acknowledged` customer lines have
 * arrived (or `timeoutMs` passes): nothing acknowledged may be lost, doubled or reordered on its way.
 */
export async function checkRelayed(opts: {
  apiUrl: string;
  token: string;
  channel: string;
  acknowledged: number;
  timeoutMs: number;
  /** Cards posted before this run (the stand-in outlives each Baton server): their threads are not counted. */
  skipCards: ReadonlySet<string>;
}): Promise<RelayCheck> {
  const client = new WebClient(opts.token, { slackApiUrl: opts.apiUrl });
  const started = performance.now();
  for (;;) {
    let relayed = 0;
    let doubled = 0;
    let outOfOrder = 0;
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
        const counted = countArrivals(seen);
        relayed += counted.distinct;
        doubled += counted.doubled;
        outOfOrder += counted.outOfOrder;
      }
    }
    const drainSeconds = (performance.now() - started) / 1000;
    if (relayed >= opts.acknowledged || drainSeconds * 1000 > opts.timeoutMs)
      return { relayed, doubled, outOfOrder, drainSeconds };
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
