import {
  type BusinessHours,
  type CustomerMessageKind,
  isPresence,
  isRoutingMethod,
  type Presence,
  type RoutingMethod,
  type TeamRoute,
} from './desk-settings.js';
import { isTimeZone, parseDays } from './business-hours.js';
import { parseWidgetCommand, type WidgetChange } from './widget-command.js';
import { SENSITIVE_KINDS, type SensitiveKind } from '../privacy/sensitive-data.js';
import type { TriggerChange, TriggerName } from '../handoff/trigger-change.js';

/** A parsed `/baton` command. User and channel references keep what was typed; the adapter resolves them. */
export type BatonCommand =
  | { kind: 'help' }
  | { kind: 'presence'; presence?: Presence }
  | { kind: 'triggers' }
  /** Replays a trigger change over past conversations; nothing changes until someone applies it. */
  | { kind: 'triggers_test'; change: TriggerChange; days?: number }
  | TriggerChange
  | { kind: 'routing'; method: RoutingMethod }
  | { kind: 'skills'; user: string; skills: string[] }
  | { kind: 'capacity'; user: string; capacity: number }
  | { kind: 'route'; route: TeamRoute }
  | { kind: 'hours'; hours?: BusinessHours | 'off' }
  | { kind: 'message'; which: CustomerMessageKind; text: string }
  | { kind: 'widget'; change?: WidgetChange }
  | { kind: 'redact'; change?: { kind: SensitiveKind; on: boolean } }
  | { kind: 'stats'; days: 7 | 30 }
  | { kind: 'status' }
  | { kind: 'resolve'; conversationId?: string }
  | { kind: 'transfer'; target: { user: string } | { channel: string }; conversationId?: string };

export type { TriggerName } from '../handoff/trigger-change.js';
const TRIGGER_NAMES: TriggerName[] = ['requested', 'confidence', 'sentiment', 'sensitive', 'turns', 'repeat'];
const triggerName = (text: string | undefined) => TRIGGER_NAMES.find((t) => t === text);

/** Whether a command is one change to the triggers (`/baton trigger …`). */
export function isTriggerChange(command: BatonCommand): command is TriggerChange {
  return command.kind.startsWith('trigger_');
}

export type ParseResult = { ok: true; command: BatonCommand } | { ok: false; error: string; usage: string };

export const USAGE: Record<string, string> = {
  presence: '/baton presence [available|busy|away|offline]',
  triggers:
    '/baton triggers [test <change> [<days>d]]   e.g. /baton triggers test confidence 0.5 · /baton triggers test sentiment off 7d · /baton triggers test keywords add warranty',
  trigger:
    '/baton trigger <requested|confidence|sentiment|sensitive|turns|repeat> on|off · /baton trigger confidence <0..1> · /baton trigger sentiment <-1..0> · /baton trigger turns <n> · /baton trigger keywords add|remove <words...>',
  routing: '/baton routing round-robin|first-available|skill|load-balanced',
  skills: '/baton skills @agent <skill...>',
  capacity: '/baton capacity @agent <n>',
  route: '/baton route url:<text>|topic:<topic> #channel',
  hours:
    '/baton hours [<days> <HH:MM>-<HH:MM> <IANA time zone> | off]   e.g. /baton hours mon-fri 09:00-17:30 Europe/Berlin',
  message: '/baton message handoff|offline|join <text>   ({agent} in a join message is the agent’s name)',
  widget:
    '/baton widget [title|greeting|label|color|position <value> | reset <field>]   e.g. /baton widget color #0a7d55',
  redact: `/baton redact [on|off <${SENSITIVE_KINDS.join('|')}>]   e.g. /baton redact on email`,
  stats: '/baton stats [7d|30d]',
  status: '/baton status',
  resolve: '/baton resolve [conversation id]',
  transfer: '/baton transfer @agent|#channel [conversation id]',
};

const USER_REF = /^(<@[UW][A-Z0-9]+(\|[^>]*)?>|@[\w.-]+)$/;
const CHANNEL_REF = /^(<#[CG][A-Z0-9]+(\|[^>]*)?>|#[\w-]+)$/;
const CONVERSATION_ID = /^c_[A-Za-z0-9_-]{16,64}$/;

function fail(sub: string, error: string): ParseResult {
  return { ok: false, error, usage: USAGE[sub] ?? Object.values(USAGE).join('\n') };
}
const ok = (command: BatonCommand): ParseResult => ({ ok: true, command });

function number(text: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (n < min || n > max || (integer && !Number.isInteger(n))) return undefined;
  return n;
}

/** Parses the text after `/baton`. Pure: every malformed command gets an error and its usage line. */
export function parseBatonCommand(text: string): ParseResult {
  const raw = text.trim();
  const [sub = 'help', ...args] = raw.split(/\s+/).filter(Boolean);
  const rest = raw.slice(raw.indexOf(sub) + sub.length).trim();
  switch (sub.toLowerCase()) {
    case 'help':
      return ok({ kind: 'help' });
    case 'presence': {
      if (args.length === 0) return ok({ kind: 'presence' });
      const p = args[0]!.toLowerCase();
      return isPresence(p) && args.length === 1
        ? ok({ kind: 'presence', presence: p })
        : fail('presence', `"${args[0]}" is not a presence.`);
    }
    case 'triggers':
      return parseTriggers(args);
    case 'trigger':
      return parseTrigger(args);
    case 'routing': {
      const m = args[0]?.toLowerCase() ?? '';
      return isRoutingMethod(m) && args.length === 1
        ? ok({ kind: 'routing', method: m })
        : fail('routing', 'Name one routing method.');
    }
    case 'skills': {
      const [user, ...skills] = args;
      if (!user || !USER_REF.test(user)) return fail('skills', 'Start with the agent, e.g. @dana.');
      const clean = skills.map((s) => s.toLowerCase()).filter((s) => /^[a-z0-9_-]{1,32}$/.test(s));
      if (clean.length !== skills.length)
        return fail('skills', 'Skills are single words such as billing or shipping.');
      return ok({ kind: 'skills', user, skills: [...new Set(clean)] });
    }
    case 'capacity': {
      const [user, n] = args;
      const capacity = number(n, 1, 50, true);
      if (!user || !USER_REF.test(user) || capacity === undefined || args.length !== 2) {
        return fail('capacity', 'Give an agent and a whole number from 1 to 50.');
      }
      return ok({ kind: 'capacity', user, capacity });
    }
    case 'route':
      return parseRoute(args);
    case 'hours':
      return parseHours(args);
    case 'message': {
      const which = args[0]?.toLowerCase();
      const body = rest.slice(rest.indexOf(args[0] ?? '') + (args[0]?.length ?? 0)).trim();
      if (which !== 'handoff' && which !== 'offline' && which !== 'join')
        return fail('message', 'Say which message: handoff, offline or join.');
      if (body.length < 5 || body.length > 500)
        return fail('message', 'The message must be 5 to 500 characters.');
      return ok({ kind: 'message', which, text: body });
    }
    case 'widget': {
      const parsed = parseWidgetCommand(rest);
      return parsed.ok ? ok({ kind: 'widget', change: parsed.change }) : fail('widget', parsed.error);
    }
    case 'redact': {
      if (args.length === 0) return ok({ kind: 'redact' });
      const [onOff, name] = args.map((a) => a.toLowerCase());
      const kind = SENSITIVE_KINDS.find((k) => k === name?.replace(/-/g, '_'));
      if ((onOff !== 'on' && onOff !== 'off') || !kind || args.length !== 2)
        return fail('redact', 'Say on or off, then one kind of personal data.');
      return ok({ kind: 'redact', change: { kind, on: onOff === 'on' } });
    }
    case 'stats': {
      const window = args[0] ?? '7d';
      if (window !== '7d' && window !== '30d') return fail('stats', 'Use 7d or 30d.');
      return ok({ kind: 'stats', days: window === '7d' ? 7 : 30 });
    }
    case 'status':
      return args.length > 0
        ? fail('status', '`/baton status` takes nothing after it.')
        : ok({ kind: 'status' });
    case 'resolve': {
      if (args.length > 1 || (args[0] && !CONVERSATION_ID.test(args[0])))
        return fail('resolve', 'That is not a conversation id (they start with c_).');
      return ok({ kind: 'resolve', conversationId: args[0] });
    }
    case 'transfer': {
      const [target, id] = args;
      if (id && !CONVERSATION_ID.test(id))
        return fail('transfer', 'That is not a conversation id (they start with c_).');
      if (target && USER_REF.test(target))
        return ok({ kind: 'transfer', target: { user: target }, conversationId: id });
      if (target && CHANNEL_REF.test(target))
        return ok({ kind: 'transfer', target: { channel: target }, conversationId: id });
      return fail('transfer', 'Transfer to an agent (@name) or a channel (#name).');
    }
    default:
      return {
        ok: false,
        error: `Unknown subcommand "${sub.slice(0, 40)}".`,
        usage: Object.values(USAGE).join('\n'),
      };
  }
}

function parseTriggers(args: string[]): ParseResult {
  if (args.length === 0) return ok({ kind: 'triggers' });
  if (args[0]!.toLowerCase() !== 'test') return fail('triggers', 'Say `test` and the change to try.');
  // An optional last word says how far back to look (default 30 days).
  const window = /^(\d{1,3})d$/i.exec(args.at(-1) ?? '');
  const days = window ? Number(window[1]) : undefined;
  if (days !== undefined && (days < 1 || days > 365)) return fail('triggers', 'Look back 1d to 365d.');
  // The change is worded as `/baton trigger …` would apply it: the same parser reads both.
  const parsed = parseTriggerChange(args.slice(1, window ? -1 : undefined));
  if (!parsed.ok) return fail('triggers', parsed.error);
  return ok({ kind: 'triggers_test', change: parsed.change, ...(days ? { days } : {}) });
}

function parseTrigger(args: string[]): ParseResult {
  const parsed = parseTriggerChange(args);
  return parsed.ok ? ok(parsed.change) : fail('trigger', parsed.error);
}

function parseTriggerChange(
  args: string[],
): { ok: true; change: TriggerChange } | { ok: false; error: string } {
  const change = (c: TriggerChange) => ({ ok: true as const, change: c });
  const error = (e: string) => ({ ok: false as const, error: e });
  const [name, value, ...more] = args;
  const lower = name?.toLowerCase();
  if (lower === 'keywords') {
    const op = value?.toLowerCase();
    const words = more.map((w) => w.toLowerCase()).filter((w) => /^[\p{L}\p{N}' -]{2,40}$/u.test(w));
    if ((op !== 'add' && op !== 'remove') || words.length === 0 || words.length !== more.length) {
      return error('Use: trigger keywords add|remove <words...>');
    }
    return change({ kind: 'trigger_keywords', op, words });
  }
  const trigger = triggerName(lower);
  if (!trigger) return error(`"${name ?? ''}" is not a trigger.`);
  if (more.length > 0 || value === undefined) return error('Give one value.');
  if (value === 'on' || value === 'off')
    return change({ kind: 'trigger_toggle', trigger, on: value === 'on' });
  if (trigger === 'confidence') {
    const n = number(value, 0, 1);
    return n === undefined
      ? error('Confidence is a number from 0 to 1.')
      : change({ kind: 'trigger_confidence', value: n });
  }
  if (trigger === 'sentiment') {
    const n = number(value, -1, 0);
    return n === undefined
      ? error('Sentiment is a number from -1 to 0.')
      : change({ kind: 'trigger_sentiment', value: n });
  }
  if (trigger === 'turns') {
    const n = number(value, 1, 50, true);
    return n === undefined
      ? error('Turns is a whole number from 1 to 50.')
      : change({ kind: 'trigger_turns', value: n });
  }
  return error(`${trigger} takes on or off.`);
}

function parseRoute(args: string[]): ParseResult {
  const [condition, channel] = args;
  if (!condition || !channel || args.length !== 2 || !CHANNEL_REF.test(channel))
    return fail('route', 'Give a condition and a #channel.');
  const [kind, value] = [
    condition.slice(0, condition.indexOf(':')),
    condition.slice(condition.indexOf(':') + 1),
  ];
  if (!value || value.length > 200)
    return fail('route', 'The condition needs a value, e.g. url:/enterprise.');
  if (kind === 'url')
    return ok({ kind: 'route', route: { condition: { kind: 'url', contains: value }, channel } });
  if (kind === 'topic')
    return ok({
      kind: 'route',
      route: { condition: { kind: 'topic', topic: value.toLowerCase() }, channel },
    });
  return fail('route', 'Conditions are url:<text> or topic:<topic>.');
}

function parseHours(args: string[]): ParseResult {
  if (args.length === 0) return ok({ kind: 'hours' });
  if (args.length === 1 && args[0]!.toLowerCase() === 'off') return ok({ kind: 'hours', hours: 'off' });
  const [daysText, span, timeZone] = args;
  const days = daysText ? parseDays(daysText) : undefined;
  const match = span ? /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(span) : null;
  if (!days) return fail('hours', 'Days look like mon-fri, sat,sun or daily.');
  if (!match) return fail('hours', 'Hours look like 09:00-17:30 (24-hour clock).');
  if (!timeZone || !isTimeZone(timeZone) || args.length !== 3)
    return fail('hours', 'Add an IANA time zone such as Europe/Berlin.');
  const from = `${match[1]}:${match[2]}`;
  const to = `${match[3]}:${match[4]}`;
  if (from >= to) return fail('hours', 'The closing time must be after the opening time.');
  return ok({ kind: 'hours', hours: { days, from, to, timeZone } });
}
