import { CUSTOMER_NOTICES } from './customer-notices.js';
import { listRecentMessages } from './message-repository.js';
import type { MessageAnalysis } from './assistant.js';
import type { Conversation, Message } from './conversation.js';
import { decideHandoff } from '../handoff/triggers.js';
import { recordTriggerInput } from '../handoff/trigger-input-repository.js';
import { appendMessageIf } from './messages.js';
import type { ServiceDeps } from '../ports.js';
import { fireHandoff } from '../handoff/fire-handoff.js';
import { maskedText } from '../privacy/mask-for-slack.js';
import { DEFAULT_MASKED } from '../privacy/sensitive-data.js';

const NO_ANSWER_REPLY = "I'm not sure about that one, so I'm getting a person to help.";
/** Beside an answer about refunds, cancellation, charges or security: a person is one click away. */
export const OFFER_PERSON =
  'If you would rather have a person take care of this, press "Talk to a person" and someone from our team will pick it up.';
/** Enough context for the assistant and the triggers; older messages do not change the answer. */
const HISTORY_LIMIT = 200;

async function roundHistory(deps: ServiceDeps, conversationId: string, message: Message) {
  const earlier = (await listRecentMessages(deps.db, conversationId, HISTORY_LIMIT, message.seq)).filter(
    (m) => !m.deletedAt,
  );
  // Only the current round counts (since the last resolution or the start).
  const roundStart = [...earlier].reverse().find((m) => m.notice === 'resolved');
  return roundStart ? earlier.filter((m) => m.seq > roundStart.seq) : earlier;
}

/**
 * Stores the assistant's reply only if the conversation is still in `status`, checked in the same
 * transaction: an agent who claims (or takes over) while the assistant was thinking wins.
 */
async function replyIfStill(
  deps: ServiceDeps,
  conversationId: string,
  status: Conversation['status'],
  analysis: Pick<MessageAnalysis, 'articles' | 'confidence'> & { reply: string },
  /** A leftover's answer goes in only while that line is still the conversation's last word. */
  onlyAfterSeq?: number,
) {
  return appendMessageIf(
    deps,
    {
      conversationId,
      author: 'bot',
      text: analysis.reply,
      articles: analysis.articles.length > 0 ? analysis.articles : undefined,
      confidence: analysis.confidence,
    },
    // Nothing to read first: the check on the held row below is the one that counts (another instance
    // may have claimed or answered meanwhile).
    async () => true,
    undefined,
    (locked) =>
      locked.status === status && (onlyAfterSeq === undefined || locked.lastSeq === onlyAfterSeq + 1),
  );
}

/**
 * One assistant turn: analyse the customer's message, then either hand off or answer.
 * The assistant never answers once a handoff has fired (the caller only runs this in `bot` status).
 */
export async function answerCustomerMessage(
  deps: ServiceDeps,
  conversation: Conversation,
  message: Message,
  /** Whether the visitor's address may start another handoff now (see chat-limits); asked only when one would fire. */
  mayHandOff: () => Promise<boolean> = async () => true,
  /** Answering a line left unanswered (an instance died mid-turn): nothing is added if it was answered since. */
  leftover = false,
) {
  const onlyAfter = leftover ? message.seq : undefined;
  const round = await roundHistory(deps, conversation.id, message);
  const history = round.map((m) => ({ author: m.author, text: m.text }));
  const analysis = await deps.assistant.analyze({ history, message: message.text });
  const customerTurns = round.filter((m) => m.author === 'customer').length + 1;
  // Read once for this message: the triggers here, routing and wording in the handoff.
  const settings = await deps.settings();
  const decision = decideHandoff({ message: message.text, analysis, customerTurns }, settings.triggers);
  const log = deps.log.child({ conversationId: conversation.id });
  // Kept so an admin can replay a proposed trigger setting over it (`/baton triggers test`). Not waited
  // for: on the answer path it is queued in the same turn as the reply below and shares the reply's
  // group commit (one disk wait per answer instead of two, and the answer does not wait for a commit of
  // its own first); on the handoff path it commits on its own meanwhile. The group commit runs units in
  // order, so it is on disk no later than anything queued after it. Tracked, so a stop waits for it. If
  // it fails, the message is only left out of replays: the turn goes on.
  void deps.track(
    deps
      .transact((trx) =>
        recordTriggerInput(trx, {
          messageId: message.id,
          conversationId: conversation.id,
          seq: message.seq,
          customerTurns,
          analysis,
          decidedAt: deps.now().toISOString(),
        }),
      )
      .catch((error: unknown) => log.warn({ err: error }, 'could not keep the trigger decision for replay')),
  );

  if (decision.handoff && !(await mayHandOff())) {
    // A flood of conversations from one address must not become a flood of cards and pages.
    log.warn({ reason: decision.reason }, 'handoff not started: too many from this address');
    await replyIfStill(
      deps,
      conversation.id,
      'bot',
      { ...analysis, reply: CUSTOMER_NOTICES.busy, articles: [] },
      onlyAfter,
    );
    return;
  }
  if (decision.handoff) {
    // Which signal fired and how sure, at info; the customer's own words it fired on only at debug.
    const signals = (analysis.signals ?? []).map((s) => ({
      intent: s.intent,
      score: s.score,
      source: s.source,
    }));
    // Masked only when the line is written: most handoffs are not logged at debug level.
    if (log.isLevelEnabled('debug'))
      log.debug(
        { reason: decision.reason, detail: maskedText(decision.detail, DEFAULT_MASKED) },
        'trigger fired on',
      );
    log.info({ reason: decision.reason, signals, confidence: analysis.confidence }, 'trigger fired');
    if (analysis.reply && decision.reason === 'sensitive_topic') {
      // Still useful to the customer while they wait: the policy article, clearly before the person joins.
      await replyIfStill(deps, conversation.id, 'bot', { ...analysis, reply: analysis.reply }, onlyAfter);
    }
    await fireHandoff(
      deps,
      conversation.id,
      'trigger',
      {
        reason: decision.reason,
        detail: decision.detail,
        sentiment: analysis.conversationSentiment,
        // "Can I talk to a person?" says nothing about the topic; the conversation does.
        topic: decision.reason === 'requested' ? undefined : analysis.topic,
      },
      settings,
    );
    return;
  }
  // A question about a sensitive policy gets its answer and, beside it, the offer of a person.
  const reply =
    analysis.reply && analysis.offerPerson ? `${analysis.reply}\n\n${OFFER_PERSON}` : analysis.reply;
  await replyIfStill(
    deps,
    conversation.id,
    'bot',
    { ...analysis, reply: reply ?? NO_ANSWER_REPLY },
    onlyAfter,
  );
}

/**
 * While a conversation waits for the promised follow-up (`queued`), the assistant keeps helping with
 * what it can answer well; it stays silent otherwise (the question is already in the agents' thread)
 * and stops for good once a person claims.
 */
export async function answerWhileQueued(deps: ServiceDeps, conversation: Conversation, message: Message) {
  const round = await roundHistory(deps, conversation.id, message);
  const analysis = await deps.assistant.analyze({
    history: round.map((m) => ({ author: m.author, text: m.text })),
    message: message.text,
  });
  const threshold = (await deps.settings()).triggers.lowConfidence.threshold;
  if (!analysis.reply || analysis.articles.length === 0 || analysis.confidence < threshold) return;
  await replyIfStill(deps, conversation.id, 'queued', { ...analysis, reply: analysis.reply });
}
