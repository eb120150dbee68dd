import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Conversation } from '../conversation/conversation.js';
import type { ConversationDeps } from '../conversation/conversation-service.js';
import {
  requestTranscript,
  TRANSCRIPTS_PER_HOUR,
  TRANSCRIPTS_PER_RECIPIENT_PER_DAY,
} from '../email/transcript-request.js';
import { addressOf, limiter } from './chat-limits.js';
import { sendError } from './http-errors.js';
import { transcriptBody } from './schemas.js';

/**
 * Transcripts asked for from one address per hour, across its conversations: a transcript carries text
 * the visitor wrote to an address the visitor typed, so it must not become a way to send mail in bulk.
 */
export const TRANSCRIPTS_PER_ADDRESS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

/**
 * POST /conversations/:id/transcript, after the API's write checks and the token (`conversationOf`
 * gives the authenticated conversation). Answers 202 once the email is in the outbox; the address is
 * never logged.
 */
export function transcriptRoute(
  deps: ConversationDeps,
  conversationOf: (res: Response) => Conversation,
): RequestHandler[] {
  const fromAddress = limiter(HOUR_MS, TRANSCRIPTS_PER_ADDRESS_PER_HOUR, addressOf, {
    message: 'Too many transcript requests from your network; please try again later',
  });
  const handler = async (req: Request, res: Response) => {
    const body = transcriptBody.parse(req.body);
    const conversation = conversationOf(res);
    const outcome = await requestTranscript(
      { db: deps.db, now: deps.now, mailer: deps.transcripts },
      conversation,
      { email: body.email, requestId: body.requestId ?? randomUUID() },
    );
    switch (outcome.kind) {
      case 'unavailable':
        return sendError(res, 503, 'unavailable', 'Email is not available here');
      case 'nothing_to_send':
        return sendError(res, 409, 'conflict', 'There is nothing to email yet: write a message first');
      case 'rate_limited':
        return sendError(
          res,
          429,
          'rate_limited',
          outcome.per === 'conversation'
            ? `A conversation can be emailed ${TRANSCRIPTS_PER_HOUR} times an hour; please try again later`
            : `That address has been sent ${TRANSCRIPTS_PER_RECIPIENT_PER_DAY} transcripts today; please try again tomorrow`,
          { 'retry-after': String(outcome.retryAfterSeconds) },
        );
      case 'queued':
        deps.log.info(
          { conversationId: conversation.id, duplicate: outcome.duplicate },
          'transcript queued for the customer',
        );
        res.status(202).json({ transcript: { email: body.email, status: 'queued' } });
    }
  };
  return [fromAddress, handler];
}
