import type { FollowUpMailer } from '../ports.js';
import { renderFollowUpEmail } from './follow-up-email.js';
import type { Db } from '../storage/database.js';
import { enqueueEmail } from './email-outbox-repository.js';

export interface FollowUpEmailDeps {
  db: Db;
  now: () => Date;
  /** Wakes the email worker after the email is committed. */
  kickEmail: () => void;
}

export interface FollowUpEmailRequest {
  conversationId: string;
  /** The agent message being relayed; it is emailed at most once however often this is called. */
  messageId: string;
  to: string;
  agentName: string;
  brand: string;
  conversationUrl?: string;
}

/**
 * Queues "an agent replied" for a customer who is no longer in the chat, then wakes the worker.
 * Deciding whether the customer should get it (status, presence, consent) is the caller's job.
 * Returns whether a new email was queued (false when this message was already queued before).
 */
export async function queueFollowUpEmail(
  deps: FollowUpEmailDeps,
  input: FollowUpEmailRequest,
): Promise<boolean> {
  const rendered = renderFollowUpEmail({
    brand: input.brand,
    agentName: input.agentName,
    conversationUrl: input.conversationUrl,
  });
  const id = await enqueueEmail(deps.db, {
    conversationId: input.conversationId,
    messageId: input.messageId,
    to: input.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    now: deps.now().toISOString(),
  });
  if (id === undefined) return false;
  deps.kickEmail();
  return true;
}

/** The follow-up port the conversation feature uses: queue inside its transaction, wake the worker after. */
export function createFollowUpMailer(deps: {
  now: () => Date;
  brand: string;
  conversationUrl?: string;
  kick: () => void;
}): FollowUpMailer {
  return {
    async queue(db, input) {
      await queueFollowUpEmail(
        { db, now: deps.now, kickEmail: () => {} },
        { ...input, brand: deps.brand, conversationUrl: deps.conversationUrl },
      );
    },
    kick: deps.kick,
  };
}
