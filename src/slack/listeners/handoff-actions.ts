import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { claimConversation } from '../../handoff/claim.js';
import { resolveConversation } from '../../handoff/resolve.js';
import type { Handoff } from '../../handoff/handoff.js';
import { findPostedHandoff } from '../../handoff/posted-handoff.js';
import { offerSuggestion } from '../../handoff/copilot.js';
import { CLAIM_ACTION, RESOLVE_ACTION } from '../handoff-card.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { CARD_NOT_POSTED, deferUntilCardRecorded, listenerWaitMs } from './card-wait.js';
import { listenerLog } from './listener-log.js';

const buttonPayload = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }),
  actions: z
    // action_ts is only a timing hint: an empty or odd one counts as missing (card-wait.ts).
    .array(z.object({ value: z.string().min(1).max(100), action_ts: z.string().max(40).optional() }))
    .min(1),
});

/** Who clicked, read on its own: a payload that fails the full parse is still answered privately. */
const clicker = z.object({ user: z.object({ id: z.string().min(1) }) });

/** Claim and Resolve buttons on the handoff card. */
export function registerHandoffActions(app: App, deps: SlackListenerDeps): void {
  type Parsed =
    | { ok: false; error: string; where?: { channel: string; ts: string } }
    | { ok: true; handoff: Handoff; user: { id: string }; channel: { id: string }; message: { ts: string } };
  async function parse(body: unknown): Promise<Parsed> {
    const parsed = buttonPayload.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'That button payload was not understood.' };
    const { user, channel, message, actions } = parsed.data;
    const clicked = actions[0]!;
    const waitMs = listenerWaitMs(deps.services.now(), clicked.action_ts);
    const handoff = await findPostedHandoff(deps.services.db, clicked.value, waitMs);
    if (handoff && !handoff.card && handoff.cardState === 'pending' && handoff.channel === channel.id) {
      // Slack shows a card before Baton has read its answer (late, or lost and found by its marker later):
      // the click is kept and worked once the card is recorded, or the agent is told after a minute.
      deferUntilCardRecorded(deps.services.now(), clicked.action_ts, 'a click on a card');
      return { ok: false, error: CARD_NOT_POSTED, where: { channel: channel.id, ts: message.ts } };
    }
    // A value copied from another card (or forged) must not act on a different conversation.
    if (!handoff?.card || handoff.card.channel !== channel.id || handoff.card.ts !== message.ts) {
      return { ok: false, error: 'This card no longer matches a conversation.' };
    }
    return { ok: true, handoff, user, channel, message };
  }

  /**
   * Tells the clicker privately why their click did nothing: in the card's thread when it is known to be
   * the card's (a team or transfer channel's clickers may not be in the handoff channel), else in the
   * handoff channel.
   */
  async function refuse(
    client: App['client'],
    body: unknown,
    refusal: { error: string; where?: { channel: string; ts: string } },
    log: Logger,
  ) {
    const user = clicker.safeParse(body);
    if (!user.success) {
      log.warn('cannot tell the clicker: no user in the payload');
      return;
    }
    await client.chat
      .postEphemeral({
        channel: refusal.where?.channel ?? deps.handoffChannel,
        user: user.data.user.id,
        text: refusal.error,
        ...(refusal.where ? { thread_ts: refusal.where.ts } : {}),
      })
      .catch((err: unknown) => log.warn({ err }, 'could not tell the clicker'));
  }

  app.action(CLAIM_ACTION, async ({ ack, body, client }) => {
    await ack();
    const eventLog = listenerLog(deps.services.log, 'handoff_claim', body);
    const input = await parse(body);
    if (!input.ok) {
      eventLog.warn({ why: input.error }, 'claim refused');
      await refuse(client, body, input, eventLog);
      return;
    }
    const log = eventLog.child({ handoffId: input.handoff.id, conversationId: input.handoff.conversationId });
    const result = await claimConversation(deps.services, input.handoff.id, input.user.id);
    log.info({ result: result.kind }, 'claim handled');
    // Best effort: a failed private answer must not make the inbox run the click again.
    const tell = (text: string) =>
      client.chat
        .postEphemeral({ channel: input.channel.id, user: input.user.id, text, thread_ts: input.message.ts })
        .catch((error: unknown) => log.warn({ err: error }, 'could not confirm the claim'));
    if (result.kind === 'claimed') {
      // Not awaited: an LLM may take seconds, and this thread's lane should move on to the agent's reply.
      void deps.services.track(offerCopilot(deps, log, input.handoff.id, input.user.id));
      // Confirmed in the thread itself (a claimed notice from the outbox), which lasts; no ephemeral.
    } else if (result.kind === 'already_claimed') {
      await tell(result.self ? 'You already claimed this conversation.' : `Already claimed by ${result.by}.`);
    } else {
      await tell('This conversation is already resolved.');
    }
  });

  app.action(RESOLVE_ACTION, async ({ ack, body, client }) => {
    await ack();
    const eventLog = listenerLog(deps.services.log, 'handoff_resolve', body);
    const input = await parse(body);
    if (!input.ok) {
      eventLog.warn({ why: input.error }, 'resolve refused');
      await refuse(client, body, input, eventLog);
      return;
    }
    const log = eventLog.child({ handoffId: input.handoff.id, conversationId: input.handoff.conversationId });
    const result = await resolveConversation(deps.services, input.handoff.id, input.user.id);
    log.info({ result: result.kind }, 'resolve handled');
    const why: Record<string, string | undefined> = {
      already_resolved: 'This conversation was already resolved.',
      not_claimed: 'Claim this conversation before resolving it.',
      not_yours:
        result.kind === 'not_yours'
          ? `${result.by} has this conversation; only they can resolve it.`
          : undefined,
      not_found: 'This card no longer matches a conversation.',
    };
    const text = why[result.kind];
    if (text) {
      await client.chat
        .postEphemeral({ channel: input.channel.id, user: input.user.id, thread_ts: input.message.ts, text })
        .catch((error: unknown) => log.warn({ err: error }, 'could not explain the refused resolve'));
    }
  });
}

/** After a claim, the claiming agent gets a suggested first reply by direct message (through the outbox), if the assistant has one. */
async function offerCopilot(deps: SlackListenerDeps, log: Logger, handoffId: string, agentUserId: string) {
  await offerSuggestion(deps.services, handoffId, agentUserId).catch((error: unknown) => {
    log.warn({ err: error }, 'no copilot suggestion: the assistant failed');
  });
}
