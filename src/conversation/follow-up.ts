import type { Message } from './lifecycle.js';
import { requireConversation } from './messages.js';
import type { ServiceDeps } from '../ports.js';

/**
 * After an agent's reply is stored: if the customer gave an email (when the chat started, or when told
 * no one was available) and is not in the chat right now, the reply also goes out by email. The chat keeps it too.
 */
export async function followUpIfAway(
  deps: ServiceDeps,
  message: Message,
): Promise<'emailed' | 'in_chat' | 'no_email'> {
  const conversation = await requireConversation(deps, message.conversationId);
  // The address left for the follow-up, else the one the customer gave when the chat started.
  const to = conversation.followUpEmail ?? conversation.customer.email;
  if (!to || !deps.followUp) return 'no_email';
  if (deps.live.isWatched(conversation.id)) return 'in_chat';
  await deps.followUp({
    conversationId: conversation.id,
    messageId: message.id,
    to,
    agentName: message.agent?.name ?? 'Our team',
    text: message.text,
  });
  return 'emailed';
}
