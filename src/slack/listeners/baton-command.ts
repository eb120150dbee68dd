import type { App, RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { describeHours } from '../../desk/business-hours.js';
import { deliveryHealth, describeDeliveryHealth } from '../../desk/delivery-health.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { type BatonCommand, parseBatonCommand, USAGE } from '../../desk/command-parser.js';
import { authorize, isSupportTeam } from '../../desk/command-rights.js';
import { resolveConversation } from '../../handoff/resolve.js';
import { computeDeskStats } from '../../desk/desk-stats.js';
import { transferToAgent, transferToChannel } from '../../handoff/transfer.js';
import { findHandoffToActOn } from '../../handoff/acting-on.js';
import { describePresence, setCapacity, setPresence, setSkills } from '../command-agents.js';
import { resolveChannel, resolveUser } from '../command-refs.js';
import { applySettingsCommand, type CommandReply, describeTriggers } from '../command-settings.js';
import { applyWidgetCommand, describeWidget } from '../command-widget.js';
import { applyRedactCommand, describeRedaction } from '../command-redact.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { buildStatsBlocks } from '../stats-blocks.js';
import { listenerLog } from './listener-log.js';
import { replayTriggerChange } from '../../desk/trigger-replay-service.js';
import { findLatestHandoff } from '../../handoff/handoff-repository.js';
import { buildReplayReply } from '../trigger-replay-blocks.js';
import { maskedText, maskStatsExamples } from '../../privacy/mask-for-slack.js';

const commandPayload = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().max(4000).default(''),
});

export const BATON_HELP = [
  '*Baton commands*',
  ...Object.values(USAGE).map((u) => `• \`${u}\``),
  '• `/baton help`',
].join('\n');

type Reply = CommandReply & { blocks?: KnownBlock[] };

/** `/baton`: every answer is private to the caller; every change is audited and announced to the team. */
export function registerBatonCommand(app: App, deps: SlackListenerDeps): void {
  // Acknowledged by the inbox before this runs; every answer goes through response_url, the follow-up
  // Slack accepts for a slash command (there is no original message to replace).
  app.command('/baton', async ({ command, client, respond }) => {
    const log = listenerLog(deps.services.log, 'baton_command', command);
    const answer = async (reply: Reply) => {
      const message: RespondArguments = {
        response_type: 'ephemeral',
        text: reply.text,
        ...(reply.blocks ? { blocks: reply.blocks } : {}),
      };
      // Not rethrown: the command has run (and any change is committed, audited and announced with it),
      // so running it again because the reply failed would do it twice.
      await respond(message).catch((error: unknown) =>
        log.warn({ err: error }, '/baton answer not delivered'),
      );
    };
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      log.warn({ fields: parsed.error.issues.map((i) => i.path.join('.')) }, '/baton payload not understood');
      await answer({ text: `That command was not understood.\n${BATON_HELP}` });
      return;
    }
    const { user_id: userId, text } = parsed.data;
    const reply = await runCommand(deps, client, userId, text).catch((error: unknown): Reply => {
      log.error({ err: error }, '/baton failed');
      return { text: 'Something went wrong on our side; nothing was changed. Please try again.' };
    });
    await answer(reply);
  });
}

async function runCommand(
  deps: SlackListenerDeps,
  client: WebClient,
  userId: string,
  text: string,
): Promise<Reply> {
  const parsed = parseBatonCommand(text);
  if (!parsed.ok) return { text: `${parsed.error}\nUsage: \`${parsed.usage}\`` };
  const command = parsed.command;
  const services = deps.services;
  if (!(await authorize(services, userId, command)).allowed) {
    const what =
      command.kind === 'hours'
        ? 'business hours'
        : command.kind === 'widget'
          ? 'the chat widget'
          : command.kind === 'redact'
            ? 'what is masked'
            : 'settings';
    return { text: `Only Baton admins (BATON_ADMINS) and workspace admins or owners can change ${what}.` };
  }
  switch (command.kind) {
    case 'help':
      return { text: BATON_HELP };
    case 'presence':
      return command.presence ? setPresence(services, userId, command.presence) : describePresence(services);
    case 'triggers':
      return { text: describeTriggers((await services.settings()).triggers) };
    case 'triggers_test': {
      const report = await replayTriggerChange(services, command.change, { days: command.days });
      const examples = [...report.started.examples, ...report.stopped.examples];
      const kinds = (await services.settings()).redaction.masked;
      for (const e of examples) e.text = maskedText(e.text, kinds);
      return buildReplayReply(report, {
        canApply: (await authorize(services, userId, command.change)).allowed,
        links: await cardLinks(
          services,
          client,
          examples.map((e) => e.conversationId),
        ),
        // Customers' words are for the support team (as in App Home); anyone else sees counts and links.
        showText: await isSupportTeam(services.workspace, deps.handoffChannel, userId),
      });
    }
    case 'hours':
      if (command.hours === undefined)
        return { text: `Business hours: ${describeHours((await services.settings()).hours)}` };
      return applySettingsCommand(services, userId, { ...command, hours: command.hours });
    case 'widget':
      return command.change
        ? applyWidgetCommand(services, userId, command.change)
        : { text: describeWidget((await services.settings()).widget) };
    case 'redact':
      return command.change
        ? applyRedactCommand(services, userId, command.change)
        : { text: describeRedaction((await services.settings()).redaction.masked) };
    case 'skills':
    case 'capacity': {
      const agent = await resolveUser(client, command.user);
      if (!agent) return { text: `I could not find ${command.user} in this workspace.` };
      return command.kind === 'skills'
        ? setSkills(services, userId, agent, command.skills)
        : setCapacity(services, userId, agent, command.capacity);
    }
    case 'stats': {
      const stats = await computeDeskStats(services, command.days);
      const kinds = (await services.settings()).redaction.masked;
      const { text: summary, blocks } = buildStatsBlocks(maskStatsExamples(stats, kinds));
      return { text: summary, blocks };
    }
    case 'route': {
      // A route to a channel Baton cannot post in would lose every card sent there: refuse it now.
      const channel = resolveChannel(command.route.channel);
      const refusal = channel ? await channelRefusal(client, channel) : undefined;
      if (refusal) return { text: refusal };
      return applySettingsCommand(services, userId, command);
    }
    case 'status':
      return {
        text: describeDeliveryHealth(await deliveryHealth(services.db))
          .map(escapeMrkdwn)
          .join('\n'),
      };
    case 'resolve':
    case 'transfer':
      return handoffCommand(deps, client, userId, command);
    default:
      return applySettingsCommand(services, userId, command);
  }
}

/** Resolve and transfer act on a conversation the caller claimed (admins may transfer any they name). */
async function handoffCommand(
  deps: SlackListenerDeps,
  client: WebClient,
  userId: string,
  command: Extract<BatonCommand, { kind: 'resolve' | 'transfer' }>,
): Promise<Reply> {
  const target = await findHandoffToActOn(deps.services, userId, command.conversationId);
  if (target.kind === 'none') {
    return {
      text: command.conversationId
        ? 'You have no open conversation with that id.'
        : 'You have no open conversations.',
    };
  }
  if (target.kind === 'several') {
    const verb = command.kind === 'resolve' ? 'resolve' : 'transfer @agent|#channel';
    return {
      text: `You have ${target.conversationIds.length} open conversations; say which: ${target.conversationIds.map((id) => `\`/baton ${verb} ${id}\``).join(', ')}`,
    };
  }
  const { handoffId, asAdmin } = target;
  if (command.kind === 'resolve') {
    const result = await resolveConversation(deps.services, handoffId, userId, { asAdmin });
    return {
      text:
        result.kind === 'resolved'
          ? 'Resolved. The customer has been asked to rate the chat.'
          : 'That conversation was already resolved.',
    };
  }
  if ('user' in command.target) {
    const agent = await resolveUser(client, command.target.user);
    if (!agent) return { text: `I could not find ${command.target.user} in this workspace.` };
    // Audited and announced by the transfer itself, in the transaction that makes it.
    const result = await transferToAgent(deps.services, handoffId, userId, agent, { asAdmin });
    return { text: result.kind === 'transferred' ? `Transferred to ${result.to}.` : result.why };
  }
  const channel = resolveChannel(command.target.channel);
  if (channel) {
    // A card in a channel Baton is not in could never be posted: refuse before closing this one.
    const refusal = await channelRefusal(client, channel, 'transfer');
    if (refusal) return { text: refusal };
  }
  if (!channel)
    return { text: 'Pick the channel from Slack’s suggestions (so it becomes a #link), or give its ID.' };
  const result = await transferToChannel(deps.services, handoffId, userId, channel, { asAdmin });
  return { text: result.kind === 'transferred' ? `Transferred to ${result.to}.` : result.why };
}

/** Links to the newest card of each conversation that has one (a lookup that fails just leaves it out). */
async function cardLinks(
  services: SlackListenerDeps['services'],
  client: WebClient,
  conversationIds: string[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const id of new Set(conversationIds)) {
    const card = (await findLatestHandoff(services.db, id))?.card;
    if (!card) continue;
    const found = await client.chat
      .getPermalink({ channel: card.channel, message_ts: card.ts })
      .catch(() => undefined);
    if (found?.permalink) links.set(id, found.permalink);
  }
  return links;
}

/** Why Baton cannot post cards in this channel (unknown to it, or not a member), or undefined. */
async function channelRefusal(
  client: WebClient,
  channel: string,
  retry: 'transfer' | 'route' = 'route',
): Promise<string | undefined> {
  const info = await client.conversations.info({ channel }).catch(() => undefined);
  if (!info?.channel) return `I cannot find <#${channel}>.`;
  if (!info.channel.is_member) return `Invite @baton to <#${channel}> first, then ${retry} again.`;
  return undefined;
}
