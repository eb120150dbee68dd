import { createHash } from 'node:crypto';
import type { Conversation } from '../conversation/conversation.js';
import { listMessages } from '../conversation/message-repository.js';
import type { TranscriptMailer } from '../ports.js';
import type { Db } from '../storage/database.js';
import { emailQueued, enqueueEmail, queuedTimes } from './email-outbox-repository.js';
import { renderTranscriptEmail, TRANSCRIPT_MAX_MESSAGES } from './transcript-email.js';

/** Transcripts one conversation may ask for per hour: enough for a typo and a second address. */
export const TRANSCRIPTS_PER_HOUR = 3;
/**
 * Transcripts one recipient may be sent per day, whoever asks and from wherever: the address is typed,
 * not verified, so one inbox must not be fillable from many conversations and networks.
 */
export const TRANSCRIPTS_PER_RECIPIENT_PER_DAY = 5;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type TranscriptOutcome =
  | { kind: 'queued'; duplicate: boolean }
  | { kind: 'rate_limited'; retryAfterSeconds: number; per: 'conversation' | 'recipient' }
  | { kind: 'nothing_to_send' }
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
 * `requestId` makes a retried request (an answer lost on the way) queue nothing new, for the same
 * address only: a customer who corrects a mistyped address and sends again gets a new email to the new
 * address (a repeat to the old one would be answered as if it went to the new). The outbox row's
 * message_id is `transcript:<conversation>:<request>:<address hash>`, apart from follow-up emails.
 */
export async function requestTranscript(
  deps: TranscriptDeps,
  conversation: Conversation,
  input: { email: string; requestId: string },
): Promise<TranscriptOutcome> {
  const mailer = deps.mailer;
  if (!mailer) return { kind: 'unavailable' };
  const recipient = input.email.trim().toLowerCase();
  const addressHash = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  const key = `transcript:${conversation.id}:${input.requestId}:${addressHash}`;
  const ask = { conversationId: conversation.id, key, recipient };
  // Checked before rendering (cheap refusals), and again in the transaction that queues (no race).
  const early = await check(deps.db, ask, deps.now());
  if (early) return early;

  const after = Math.max(0, conversation.lastSeq - TRANSCRIPT_MAX_MESSAGES);
  const messages = await listMessages(deps.db, conversation.id, after, TRANSCRIPT_MAX_MESSAGES);
  if (!messages.some((m) => m.author === 'customer')) return { kind: 'nothing_to_send' };
  const rendered = renderTranscriptEmail({ brand: mailer.brand, messages, omitted: after });
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const refused = await check(trx, ask, now);
    if (refused) return refused;
    // enqueueEmail queues a message id once: a repeat that raced past the check queues nothing.
    const id = await enqueueEmail(trx, {
      conversationId: conversation.id,
      messageId: key,
      to: input.email,
      ...rendered,
      now: now.toISOString(),
    });
    return { kind: 'queued', duplicate: id === undefined } as const;
  });
  if (outcome.kind === 'queued' && !outcome.duplicate) mailer.kick();
  return outcome;
}

/**
 * A repeat of a queued request, or an allowance spent (the conversation's hour, the recipient's day);
 * undefined when it may be queued.
 */
async function check(db: Db, ask: { conversationId: string; key: string; recipient: string }, now: Date) {
  if (await emailQueued(db, ask.key)) return { kind: 'queued', duplicate: true } as const;
  const spent = (times: string[], max: number, windowMs: number) => {
    if (times.length < max) return undefined;
    const freeAt = Date.parse(times[times.length - max]!) + windowMs;
    return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
  };
  const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const byConversation = await queuedTimes(
    db,
    'transcript:',
    { conversationId: ask.conversationId },
    since(HOUR_MS),
  );
  const hourly = spent(byConversation, TRANSCRIPTS_PER_HOUR, HOUR_MS);
  if (hourly) return { kind: 'rate_limited', retryAfterSeconds: hourly, per: 'conversation' } as const;
  const byRecipient = await queuedTimes(db, 'transcript:', { recipient: ask.recipient }, since(DAY_MS));
  const daily = spent(byRecipient, TRANSCRIPTS_PER_RECIPIENT_PER_DAY, DAY_MS);
  if (daily) return { kind: 'rate_limited', retryAfterSeconds: daily, per: 'recipient' } as const;
  return undefined;
}
