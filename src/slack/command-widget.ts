import { typedName, type WidgetChange } from '../desk/widget-command.js';
import {
  DEFAULT_WIDGET_SETTINGS,
  WIDGET_FIELDS,
  type WidgetField,
  type WidgetSettings,
} from '../desk/widget-settings.js';
import { changeDeskSetting } from '../desk/settings-service.js';
import type { ServiceDeps } from '../ports.js';
import type { CommandReply } from './command-settings.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** How one value reads in Slack: text in a code span (it is the admin's, not ours), unset said plainly. */
function shown(field: WidgetField, w: WidgetSettings): string {
  const value = w[field];
  if (value === null) return '_not set: the widget’s own text in the shopper’s language_';
  return `\`${escapeMrkdwn(value)}\``;
}

/** `/baton widget`: every field with its value, and how to change one. */
export function describeWidget(w: WidgetSettings): string {
  return [
    '*Chat widget* (what shop pages get with `widget.js`, within a minute of a change; a `data-baton-*` attribute on a page’s tag wins)',
    ...WIDGET_FIELDS.map((f) => `• ${typedName(f)}: ${shown(f, w)}`),
    'Change one with `/baton widget <field> <value>`, or `/baton widget reset <field>`.',
  ].join('\n');
}

/**
 * An admin's change to the widget. Audited and announced by the settings service in the same
 * transaction as the change; shop pages see it within a minute (the endpoint is cached for 60 s).
 */
export async function applyWidgetCommand(
  deps: ServiceDeps,
  actor: string,
  change: WidgetChange,
): Promise<CommandReply> {
  const name = typedName(change.field);
  const next = (w: WidgetSettings): WidgetSettings => ({
    ...w,
    [change.field]: change.op === 'set' ? change.value : DEFAULT_WIDGET_SETTINGS[change.field],
  });
  const { after } = await changeDeskSetting(deps, {
    actor,
    key: 'widget',
    change: next,
    announce: ({ after: w }) =>
      `:gear: <@${actor}> ${change.op === 'set' ? 'set' : 'reset'} the chat widget’s ${name}: ${shown(change.field, w)}`,
  });
  const verb = change.op === 'set' ? 'is now' : 'is back to its default:';
  return {
    text: `Done. The widget’s ${name} ${verb} ${shown(change.field, after)}\n${describeWidget(after)}`,
  };
}
