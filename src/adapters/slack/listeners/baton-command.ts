import type { App } from '@slack/bolt';
import { z } from 'zod';
import { resolveConversation } from '../../../services/agent-actions.js';
import { findOpenClaimedBy } from '../../storage/handoff-repository.js';
import type { SlackListenerDeps } from '../slack-deps.js';

const commandPayload = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().max(4000).default(''),
});

export const BATON_HELP = [
  '*Baton commands*',
  '`/baton help`: this list',
  '`/baton resolve [conversation id]`: resolve a conversation you claimed (the id is optional when you have just one open)',
].join('\n');

/** `/baton`: answers privately to whoever ran it, always with a clear result or usage. */
export function registerBatonCommand(app: App, deps: SlackListenerDeps): void {
  app.command('/baton', async ({ ack, command }) => {
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: `That command was not understood.\n${BATON_HELP}` });
      return;
    }
    const [sub = 'help', ...args] = parsed.data.text.trim().split(/\s+/).filter(Boolean);
    if (sub === 'help') {
      await ack({ response_type: 'ephemeral', text: BATON_HELP });
      return;
    }
    if (sub === 'resolve') {
      await ack({
        response_type: 'ephemeral',
        text: await resolveFromCommand(deps, parsed.data.user_id, args[0]),
      });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: `Unknown subcommand \`${sub.slice(0, 40).replace(/[<>&`]/g, '')}\`.\n${BATON_HELP}`,
    });
  });
}

async function resolveFromCommand(
  deps: SlackListenerDeps,
  userId: string,
  conversationId: string | undefined,
) {
  const open = await findOpenClaimedBy(deps.services.db, userId, conversationId);
  if (open.length === 0) {
    return conversationId
      ? `You have no open conversation with id \`${conversationId.slice(0, 64).replace(/[<>&`]/g, '')}\`.`
      : 'You have no open conversations to resolve.';
  }
  if (open.length > 1) {
    return `You have ${open.length} open conversations; say which: ${open.map((h) => `\`/baton resolve ${h.conversationId}\``).join(', ')}`;
  }
  const result = await resolveConversation(deps.services, open[0]!.handoffId, userId);
  return result.kind === 'resolved'
    ? 'Resolved. The customer has been asked to rate the chat.'
    : 'That conversation was already resolved.';
}
