import { listMessages } from '../adapters/storage/message-repository.js';
import type { Conversation, Message } from '../domain/conversation.js';
import { decideHandoff } from '../domain/triggers.js';
import { appendMessage } from './customer-messages.js';
import type { ServiceDeps } from './deps.js';
import { fireHandoff } from './handoff.js';

const NO_ANSWER_REPLY = "I'm not sure about that one, so I'm getting a person to help.";

/**
 * One assistant turn: analyse the customer's message, then either hand off or answer.
 * The assistant never answers once a handoff has fired (the caller only runs this in `bot` status).
 */
export async function answerCustomerMessage(deps: ServiceDeps, conversation: Conversation, message: Message) {
  const all = await listMessages(deps.db, conversation.id, 0, 1000);
  const earlier = all.filter((m) => m.seq < message.seq && !m.deletedAt);
  // Only the current round counts (since the last resolution or start).
  const roundStart = [...earlier]
    .reverse()
    .find((m) => m.author === 'system' && m.text.startsWith('Conversation resolved'));
  const round = roundStart ? earlier.filter((m) => m.seq > roundStart.seq) : earlier;
  const history = round.map((m) => ({ author: m.author, text: m.text }));
  const analysis = await deps.assistant.analyze({ history, message: message.text });
  const customerTurns = round.filter((m) => m.author === 'customer').length + 1;
  const decision = decideHandoff(
    { message: message.text, analysis, customerTurns },
    (await deps.settings()).triggers,
  );
  const log = deps.log.child({ conversationId: conversation.id });

  if (decision.handoff) {
    log.info(
      { reason: decision.reason, detail: decision.detail, confidence: analysis.confidence },
      'trigger fired',
    );
    if (analysis.reply && decision.reason === 'sensitive_topic') {
      // Still useful to the customer while they wait: the policy article, clearly before the person joins.
      await appendMessage(deps, {
        conversationId: conversation.id,
        author: 'bot',
        text: analysis.reply,
        articles: analysis.articles,
        confidence: analysis.confidence,
      });
    }
    await fireHandoff(deps, {
      conversationId: conversation.id,
      reason: decision.reason,
      detail: decision.detail,
      sentiment: analysis.conversationSentiment,
      // "Can I talk to a person?" says nothing about the topic; the conversation does.
      topic: decision.reason === 'requested' ? undefined : analysis.topic,
    });
    return;
  }
  await appendMessage(deps, {
    conversationId: conversation.id,
    author: 'bot',
    text: analysis.reply ?? NO_ANSWER_REPLY,
    articles: analysis.articles.length > 0 ? analysis.articles : undefined,
    confidence: analysis.confidence,
  });
}
