import { z } from 'zod';
import { type Intent, INTENTS } from '../conversation/assistant.js';
import type { MessageAnalysis } from '../conversation/assistant.js';
import type { Db } from '../storage/database.js';
import type { StoredTriggerInput } from './trigger-replay.js';

/** Intents kept as JSON; one this version does not know (written by a later one) is left out. */
const storedIntents = z.array(z.string()).catch([]);
const isIntent = (s: string): s is Intent => (INTENTS as readonly string[]).includes(s);

/**
 * Keeps what the triggers saw for one customer message, so a proposed setting can be replayed over it
 * later. Written once per message: an answer given again after a restart keeps the first record.
 */
export async function recordTriggerInput(
  db: Db,
  input: {
    messageId: string;
    conversationId: string;
    seq: number;
    customerTurns: number;
    analysis: Pick<
      MessageAnalysis,
      'reply' | 'confidence' | 'sentiment' | 'conversationSentiment' | 'intents'
    >;
    decidedAt: string;
  },
): Promise<void> {
  const { analysis } = input;
  await db
    .insertInto('trigger_inputs')
    .values({
      message_id: input.messageId,
      conversation_id: input.conversationId,
      seq: input.seq,
      customer_turns: input.customerTurns,
      answered: analysis.reply === null ? 0 : 1,
      confidence: analysis.confidence,
      sentiment: analysis.sentiment,
      conversation_sentiment: analysis.conversationSentiment,
      intents: JSON.stringify(analysis.intents),
      decided_at: input.decidedAt,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** Where a page of trigger inputs ends: the next page starts after it. */
export interface InputCursor {
  conversationId: string;
  seq: number;
}

/**
 * One page of the decisions made since `since`, in conversation order and, within one, in message
 * order, with the words of each message (a keyword trigger reads them).
 */
export async function listTriggerInputs(
  db: Db,
  opts: { since: string; after?: InputCursor; limit: number },
): Promise<StoredTriggerInput[]> {
  const { after } = opts;
  let query = db
    .selectFrom('trigger_inputs as t')
    .innerJoin('messages as m', 'm.id', 't.message_id')
    .select([
      't.conversation_id',
      't.seq',
      't.customer_turns',
      't.answered',
      't.confidence',
      't.sentiment',
      't.conversation_sentiment',
      't.intents',
      't.decided_at',
      'm.text',
    ])
    .where('t.decided_at', '>=', opts.since);
  // A row comparison, not `a > x or (a = x and b > y)`: only this form lets SQLite and PostgreSQL start
  // each page at the cursor in the (conversation_id, seq) index instead of reading from the first row.
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('t.conversation_id', 't.seq'), '>', eb.tuple(after.conversationId, after.seq)),
    );
  const rows = await query.orderBy('t.conversation_id').orderBy('t.seq').limit(opts.limit).execute();
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    seq: r.seq,
    text: r.text,
    customerTurns: r.customer_turns,
    answered: r.answered === 1,
    confidence: r.confidence,
    sentiment: r.sentiment,
    conversationSentiment: r.conversation_sentiment,
    intents: storedIntents.parse(JSON.parse(r.intents)).filter(isIntent),
    decidedAt: r.decided_at,
  }));
}

/**
 * Conversations the assistant decided on in [from, to), and how many of those handed off in that time
 * (for any reason but an agent's takeover, which no trigger setting changes).
 */
export async function handoffRate(db: Db, from: string, to: string) {
  const row = await db
    .selectFrom('trigger_inputs as t')
    .leftJoin('handoffs as h', (join) =>
      join
        .onRef('h.conversation_id', '=', 't.conversation_id')
        .on('h.triggered_at', '>=', from)
        .on('h.triggered_at', '<', to)
        .on('h.reason', '!=', 'agent_takeover'),
    )
    .select((eb) => [
      eb.fn.count<number>('t.conversation_id').distinct().as('conversations'),
      eb.fn.count<number>('h.conversation_id').distinct().as('handedOff'),
    ])
    .where('t.decided_at', '>=', from)
    .where('t.decided_at', '<', to)
    .executeTakeFirstOrThrow();
  return { conversations: Number(row.conversations), handedOff: Number(row.handedOff) };
}

/** Drops decisions older than any replay can look back (365 days): the table never grows without end. */
export async function pruneTriggerInputs(db: Db, before: string): Promise<void> {
  await db.deleteFrom('trigger_inputs').where('decided_at', '<', before).execute();
}
