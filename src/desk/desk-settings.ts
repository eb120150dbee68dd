import type { TriggerSettings } from '../handoff/triggers.js';
import type { SensitiveKind } from '../privacy/sensitive-data.js';
import type { WidgetSettings } from './widget-settings.js';

/** How a handoff picks its agent. */
export type RoutingMethod = 'round-robin' | 'first-available' | 'skill' | 'load-balanced';
export const ROUTING_METHODS: RoutingMethod[] = ['round-robin', 'first-available', 'skill', 'load-balanced'];

export type Presence = 'available' | 'busy' | 'away' | 'offline';
export const PRESENCES: Presence[] = ['available', 'busy', 'away', 'offline'];

/** Narrows typed or stored text to a routing method; `.find` keeps the literal type without a cast. */
export function isRoutingMethod(value: string): value is RoutingMethod {
  return ROUTING_METHODS.find((m) => m === value) !== undefined;
}

export function isPresence(value: string): value is Presence {
  return PRESENCES.find((p) => p === value) !== undefined;
}

/** Weekly opening hours in one IANA time zone; days are 0 (Sunday) to 6 (Saturday). */
export interface BusinessHours {
  days: number[];
  from: string; // HH:MM
  to: string; // HH:MM
  timeZone: string;
}

/** A team route: conversations matching the condition go to another channel. */
export interface TeamRoute {
  condition: { kind: 'url'; contains: string } | { kind: 'topic'; topic: string };
  channel: string;
}

export type CustomerMessageKind = 'handoff' | 'offline' | 'join';

export interface CustomerMessages {
  handoff: string;
  offline: string;
  /** `{agent}` is replaced with the agent's name. */
  join: string;
}

export const DEFAULT_CUSTOMER_MESSAGES: CustomerMessages = {
  handoff:
    "I'm bringing in a person from our support team. They'll see this whole conversation, so you won't need to repeat anything.",
  offline:
    "No one from our team is available right now. Leave your email and we'll reply there as soon as we're back; I'm still here to help meanwhile.",
  join: '{agent} has joined the conversation.',
};

export interface DeskSettings {
  triggers: TriggerSettings;
  routing: RoutingMethod;
  hours?: BusinessHours;
  routes: TeamRoute[];
  messages: CustomerMessages;
  widget: WidgetSettings;
  /** Which kinds of personal data are masked in Slack (the customer's own chat always shows what they typed). */
  redaction: { masked: SensitiveKind[] };
}
