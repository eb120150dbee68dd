import { describeHours } from '../desk/business-hours.js';
import type { BatonCommand } from '../desk/command-parser.js';
import type { DeskSettings } from '../desk/desk-settings.js';
import { REASON_LABELS, type TriggerSettings } from '../handoff/triggers.js';
import { applyTriggerChange, type TriggerChange } from '../handoff/trigger-change.js';
import { changeDeskSetting } from '../desk/settings-service.js';
import type { ServiceDeps } from '../ports.js';
import { resolveChannel } from './command-refs.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The private answer to whoever ran the command. Announcements to the team are committed with each change. */
export interface CommandReply {
  text: string;
}

export function describeTriggers(t: TriggerSettings): string {
  const onOff = (on: boolean) => (on ? ':large_green_circle: on' : ':red_circle: off');
  return [
    '*Handoff triggers*',
    `• requested (${REASON_LABELS.requested.toLowerCase()}): ${onOff(t.requested.enabled)}`,
    `• confidence: ${onOff(t.lowConfidence.enabled)}, hand off below ${t.lowConfidence.threshold}`,
    `• sentiment: ${onOff(t.sentiment.enabled)}, hand off at or below ${t.sentiment.threshold}`,
    // Requests on sensitive topics hand off by meaning; keywords are the admin's additions, none by default.
    `• sensitive: ${onOff(t.sensitive.enabled)}, by meaning (refund, cancellation, billing dispute, legal, account security, complaint); extra keywords: ${
      t.sensitive.keywords.length > 0
        ? t.sensitive.keywords.map((k) => `\`${escapeMrkdwn(k)}\``).join(' ')
        : 'none (add with `/baton trigger keywords add <words>`)'
    }`,
    `• turns: ${onOff(t.noResolution.enabled)}, after ${t.noResolution.maxTurns} customer messages`,
    `• repeat: ${onOff(t.repeated.enabled)}`,
  ].join('\n');
}

type SettingsCommand = Extract<
  BatonCommand,
  { kind: `trigger_${string}` | 'routing' | 'route' | 'hours' | 'message' }
>;

/** Admin commands that change desk settings; the service audits and announces each change with it. */
export async function applySettingsCommand(
  deps: ServiceDeps,
  actor: string,
  command: SettingsCommand,
): Promise<CommandReply> {
  const who = `<@${actor}>`;
  const triggers = (change: TriggerChange, what: string) =>
    changeDeskSetting(deps, {
      actor,
      key: 'triggers',
      change: (t) => applyTriggerChange(t, change),
      announce: () => `:gear: ${who} changed a handoff trigger: ${what}`,
    }).then(({ after }) => ({ text: `Done. ${what}\n${describeTriggers(after)}` }));
  switch (command.kind) {
    case 'trigger_toggle':
      return triggers(command, `${command.trigger} is now ${command.on ? 'on' : 'off'}.`);
    case 'trigger_confidence':
      return triggers(command, `confidence threshold is now ${command.value}.`);
    case 'trigger_sentiment':
      return triggers(command, `sentiment threshold is now ${command.value}.`);
    case 'trigger_turns':
      return triggers(command, `hand off after ${command.value} turns.`);
    case 'trigger_keywords':
      return triggers(
        command,
        `${command.op === 'add' ? 'added' : 'removed'} sensitive keywords ${command.words.map((w) => `\`${escapeMrkdwn(w)}\``).join(' ')}.`,
      );
    case 'routing': {
      const { before } = await changeDeskSetting(deps, {
        actor,
        key: 'routing',
        change: () => command.method,
        announce: (r) => `:gear: ${who} set routing to *${command.method}* (was ${r.before}).`,
      });
      return { text: `Routing is now *${command.method}* (was ${before}).` };
    }
    case 'route': {
      const channel = resolveChannel(command.route.channel);
      if (!channel)
        return { text: 'Pick the channel from Slack’s suggestions (so it becomes a #link), or give its ID.' };
      const route = { ...command.route, channel };
      const cond =
        route.condition.kind === 'url'
          ? `url contains \`${escapeMrkdwn(route.condition.contains)}\``
          : `topic is \`${escapeMrkdwn(route.condition.topic)}\``;
      await changeDeskSetting(deps, {
        actor,
        key: 'routes',
        change: (routes) => [
          ...routes.filter((r) => JSON.stringify(r.condition) !== JSON.stringify(route.condition)),
          route,
        ],
        announce: () => `:gear: ${who} routed conversations where ${cond} to <#${channel}>.`,
      });
      return { text: `Conversations where ${cond} now go to <#${channel}>.` };
    }
    case 'hours': {
      const next: DeskSettings['hours'] = command.hours === 'off' ? undefined : command.hours;
      await changeDeskSetting(deps, {
        actor,
        key: 'hours',
        change: () => next,
        announce: () => `:gear: ${who} set business hours: ${describeHours(next)}`,
      });
      return { text: `Business hours: ${describeHours(next)}` };
    }
    case 'message':
      await changeDeskSetting(deps, {
        actor,
        key: 'messages',
        change: (m) => ({ ...m, [command.which]: command.text }),
        announce: () => `:gear: ${who} changed what customers are told (${command.which}).`,
      });
      return { text: `The ${command.which} message is now:\n>${escapeMrkdwn(command.text)}` };
  }
}
