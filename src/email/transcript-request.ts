import type { Conversation } from '../conversation/conversation.js';
import { listMessages } from '../conversation/message-repository.js';
import type { TranscriptMailer } from '../ports.js';
import type { Db } from '../storage/database.js';
import { enqueueEmail } from './email-outbox-repository.js';
import { renderTranscriptEmail, TRANSCRIPT_MAX_MESSAGES } from './transcript-email.js';

/** Transcripts one conversation may ask for per hour: enough for a typo and a second address. */
export const TRANSCRIPTS_PER_HOUR = 3;
const HOUR_MS = 3_600_000;

export type TranscriptOutcome =
  | { kind: 'queued'; duplicate: boolean }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'unavailable' };

export interface TranscriptDeps {
  db: Db;
  now: () => Date;
  /** Absent when no SMTP server is configured. */
  mailer?: TranscriptMailer;
}

/**
 * Queues the transcript a customer asked for in the email outbox (retried there, never lost), at most
 * TRANSCRIPTS_PER_HOUR per conversation, counted from the outbox itself so a restart forgets nothing.
 * `requestId` makes a retried request (an answer lost on the way) queue nothing new. The outbox row's
 * message_id is `transcript:<conversation>:<request>`, which keeps both apart from follow-up emails.
 */
export async function requestTranscript(
  deps: TranscriptDeps,
  conversation: Conversation,
  input: { email: string; requestId: string },
): Promise<TranscriptOutcome> {
  const mailer = deps.mailer;
  if (!mailer) return { kind: 'unavailable' };
  const key = `transcript:${conversation.id}:${input.requestId}`;
  // Checked before rendering (cheap refusals), and again in the transaction that queues (no race).
  const early = await check(deps.db, conversation.id, key, deps.now());
  if (early) return early;

  const after = Math.max(0, conversation.lastSeq - TRANSCRIPT_MAX_MESSAGES);
  const messages = await listMessages(deps.db, conversation.id, after, TRANSCRIPT_MAX_MESSAGES);
  const rendered = renderTranscriptEmail({ brand: mailer.brand, messages, omitted: after });
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const refused = await check(trx, conversation.id, key, now);
    if (refused) return refused;
    await enqueueEmail(trx, {
      conversationId: conversation.id,
      messageId: key,
      to: input.email,
      ...rendered,
      now: now.toISOString(),
    });
    return { kind: 'queued', duplicate: false } as const;
  });
  if (outcome.kind === 'queued' && !outcome.duplicate) mailer.kick();
  return outcome;
}

/** A repeat of a queued request, or the hour's allowance spent; undefined when it may be queued. */
async function check(db: Db, conversationId: string, key: string, now: Date) {
  const done = await db
    .selectFrom('email_outbox')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('message_id', '=', key)
    .executeTakeFirst();
  if (done) return { kind: 'queued', duplicate: true } as const;
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const recent = await db
    .selectFrom('email_outbox')
    .select('created_at')
    .where('conversation_id', '=', conversationId)
    .where('message_id', 'like', 'transcript:%')
    .where('created_at', '>', hourAgo)
    .orderBy('created_at', 'asc')
    .execute();
  if (recent.length < TRANSCRIPTS_PER_HOUR) return undefined;
  const freeAt = Date.parse(recent[0]!.created_at) + HOUR_MS;
  return {
    kind: 'rate_limited',
    retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
  } as const;
}
