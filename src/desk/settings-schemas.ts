import { z } from 'zod';
import { isTimeZone } from './business-hours.js';
import {
  type BusinessHours,
  type CustomerMessages,
  ROUTING_METHODS,
  type RoutingMethod,
  type TeamRoute,
} from './desk-settings.js';
import type { TriggerSettings } from '../handoff/triggers.js';
import { HEX_COLOUR, WIDGET_TEXT_LIMITS, type WidgetSettings } from './widget-settings.js';
import { SENSITIVE_KINDS, type SensitiveKind } from '../privacy/sensitive-data.js';

/**
 * The shape of each stored setting (the `settings` table's JSON `value` column). Each schema is
 * annotated with its domain type, so a change to the type that the schema does not follow fails
 * the typecheck instead of letting stale rows through.
 */

const enabled = { enabled: z.boolean() };

/** Stored trigger blocks; a missing block keeps its default (see loadDeskSettings). */
export const storedTriggers: z.ZodType<Partial<TriggerSettings>> = z
  .object({
    requested: z.object(enabled),
    lowConfidence: z.object({ ...enabled, threshold: z.number().min(0).max(1) }),
    sentiment: z.object({ ...enabled, threshold: z.number().min(-1).max(0) }),
    sensitive: z.object({ ...enabled, keywords: z.array(z.string()) }),
    noResolution: z.object({ ...enabled, maxTurns: z.number().int().positive() }),
    repeated: z.object(enabled),
  })
  .partial();

export const storedRouting: z.ZodType<RoutingMethod> = z.enum(ROUTING_METHODS);

const clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time such as 09:00');

/** Null when hours were switched off. The zone is checked here because `isOpen` throws on a bad one. */
export const storedHours: z.ZodType<BusinessHours | null> = z
  .object({
    days: z.array(z.number().int().min(0).max(6)),
    from: clock,
    to: clock,
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone'),
  })
  .nullable();

export const storedRoutes: z.ZodType<TeamRoute[]> = z.array(
  z.object({
    condition: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('url'), contains: z.string() }),
      z.object({ kind: z.literal('topic'), topic: z.string() }),
    ]),
    channel: z.string(),
  }),
);

/** Stored customer messages; a missing one keeps its default. */
export const storedMessages: z.ZodType<Partial<CustomerMessages>> = z
  .object({ handoff: z.string(), offline: z.string(), join: z.string() })
  .partial();

/** Stored widget look and text; a missing field keeps its default, a malformed one drops the row (see readSetting). */
export const storedWidget: z.ZodType<Partial<WidgetSettings>> = z
  .object({
    title: z.string().min(1).max(WIDGET_TEXT_LIMITS.title).nullable(),
    greeting: z.string().min(1).max(WIDGET_TEXT_LIMITS.greeting).nullable(),
    launcherLabel: z.string().min(1).max(WIDGET_TEXT_LIMITS.launcherLabel).nullable(),
    // Checked as strictly as when typed: this value is written into CSS on shop pages.
    color: z.string().regex(HEX_COLOUR),
    position: z.enum(['right', 'left']),
  })
  .partial();

/** Stored redaction choice: the kinds masked in Slack. */
export const storedRedaction: z.ZodType<{ masked: SensitiveKind[] }> = z.object({
  // A kind this version does not know (written by a newer one, or renamed) is dropped, not the whole
  // choice: the admin's other kinds stay masked.
  masked: z
    .array(z.string())
    .max(50)
    .transform((kinds) => SENSITIVE_KINDS.filter((k) => kinds.includes(k))),
});
