import type { App } from '@slack/bolt';
import { z } from 'zod';
import { claimConversation, resolveConversation } from '../../handoff/agent-actions.js';
import { findHandoff, type Handoff } from '../../handoff/handoff-repository.js';
import { offerSuggestion } from '../../handoff/copilot.js';
import { buildSuggestionBlocks } from '../copilot-blocks.js';
import { CLAIM_ACTION, RESOLVE_ACTION } from '../handoff-card.js';
import type { SlackListenerDeps } from '../slack-deps.js';

const buttonPayload = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }),
  actions: z.array(z.object({ value: z.string().min(1).max(100) })).min(1),
});

/** Claim and Resolve buttons on the handoff card. */
export function registerHandoffActions(app: App, deps: SlackListenerDeps): void {
  type Parsed =
    | { ok: false; error: string }
    | { ok: true; handoff: Handoff; user: { id: string }; channel: { id: string }; message: { ts: string } };
  async function parse(body: unknown): Promise<Parsed> {
    const parsed = buttonPayload.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'That button payload was not understood.' };
    const { user, channel, message, actions } = parsed.data;
    const handoff = await findHandoff(deps.services.db, actions[0]!.value);
    // A value copied from another card (or forged) must not act on a different conversation.
    if (!handoff?.card || handoff.card.channel !== channel.id || handoff.card.ts !== message.ts) {
      return { ok: false, error: 'This card no longer matches a conversation.' };
    }
    return { ok: true, handoff, user, channel, message };
  }

  app.action(CLAIM_ACTION, async ({ ack, body, client, logger }) => {
    await ack();
    const input = await parse(body);
    if (!input.ok) {
      logger.warn('claim rejected: payload did not match a card');
      await client.chat.postEphemeral({
        channel: deps.handoffChannel,
        user: (body as { user: { id: string } }).user.id,
        text: input.error,
      });
      return;
    }
    const result = await claimConversation(deps.services, input.handoff.id, input.user.id);
    const tell = (text: string) =>
      client.chat.postEphemeral({
        channel: input.channel.id,
        user: input.user.id,
        text,
        thread_ts: input.message.ts,
      });
    if (result.kind === 'claimed') {
      // Not awaited: an LLM may take seconds, and the click must be answered within Slack's 3 s.
      void deps.services.track(
        offerCopilot(deps, client, input.handoff.id, input.user.id, input.channel.id, input.message.ts),
      );
      await tell(
        'You have this conversation. Reply in this thread to talk to the customer; start a reply with `note:` to keep it internal.',
      );
    } else if (result.kind === 'already_claimed') {
      await tell(result.self ? 'You already claimed this conversation.' : `Already claimed by ${result.by}.`);
    } else {
      await tell('This conversation is already resolved.');
    }
  });

  app.action(RESOLVE_ACTION, async ({ ack, body, client }) => {
    await ack();
    const input = await parse(body);
    if (!input.ok) {
      await client.chat.postEphemeral({
        channel: deps.handoffChannel,
        user: (body as { user: { id: string } }).user.id,
        text: input.error,
      });
      return;
    }
    const result = await resolveConversation(deps.services, input.handoff.id, input.user.id);
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
      await client.chat.postEphemeral({
        channel: input.channel.id,
        user: input.user.id,
        thread_ts: input.message.ts,
        text,
      });
    }
  });
}

/** After a claim, the claiming agent privately gets a suggested first reply, if the assistant has one. */
async function offerCopilot(
  deps: SlackListenerDeps,
  client: App['client'],
  handoffId: string,
  agentUserId: string,
  channel: string,
  threadTs: string,
) {
  const suggestion = await offerSuggestion(deps.services, handoffId, agentUserId).catch((error: unknown) => {
    deps.services.log.warn({ err: error, handoffId }, 'no copilot suggestion: the assistant failed');
    return undefined;
  });
  if (!suggestion) return;
  const { text, blocks } = buildSuggestionBlocks(suggestion);
  await client.chat
    .postEphemeral({ channel, user: agentUserId, thread_ts: threadTs, text, blocks: blocks as never })
    .catch((error: unknown) =>
      deps.services.log.warn({ err: error, handoffId }, 'could not show the copilot suggestion'),
    );
}
