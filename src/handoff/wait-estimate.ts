import type { BusinessHours } from '../desk/desk-settings.js';
import { isOpen } from '../desk/business-hours.js';
import { percentile } from '../desk/metrics.js';

/** One past handoff that a person claimed: when it was asked for and when someone took it. */
export interface ClaimSample {
  triggeredAt: string;
  claimedAt: string;
}

/**
 * What a waiting customer may honestly be told. `ahead` is how many customers of the same team were
 * waiting before them. Minutes are whole and at least 1; past an hour no number is given.
 */
export type WaitEstimate =
  | { kind: 'minutes'; minutes: number; ahead: number; reason: string }
  | { kind: 'over_an_hour'; ahead: number; reason: string }
  | { kind: 'unknown'; ahead: number; reason: string }
  | { kind: 'after_hours'; ahead: number; reason: string };

export interface WaitEstimateInput {
  /** Claimed handoffs; those outside the window or the business hours are left out here. */
  samples: readonly ClaimSample[];
  now: Date;
  hours?: BusinessHours;
  ahead: number;
  /** When this customer's handoff fired. */
  waitingSince?: string;
}

/**
 * p75, not the median: "usually replies within N minutes" should hold for three customers in four;
 * with the median it would be broken for every second one. Five claims at least, from the last week.
 */
export const WAIT_POLICY = { minSamples: 5, windowDays: 7, quantile: 0.75 } as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The wait to promise from recent claim times. Pure: the clock and the samples are inputs. */
export function estimateWait(input: WaitEstimateInput, policy = WAIT_POLICY): WaitEstimate {
  const { now, hours, ahead } = input;
  if (!isOpen(hours, now)) return { kind: 'after_hours', ahead, reason: 'outside business hours' };
  const since = now.getTime() - policy.windowDays * DAY_MS;
  const waits: number[] = [];
  for (const s of input.samples) {
    const asked = Date.parse(s.triggeredAt);
    const claimed = Date.parse(s.claimedAt);
    // A handoff asked for while the desk was closed waited for the opening, not for a person.
    if (!(asked >= since && claimed >= asked && claimed <= now.getTime())) continue;
    if (!isOpen(hours, new Date(asked))) continue;
    waits.push(claimed - asked);
  }
  if (waits.length < policy.minSamples)
    return { kind: 'unknown', ahead, reason: `${waits.length} claims in ${policy.windowDays} days` };
  const typical = percentile(waits, policy.quantile) ?? 0;
  const waited = input.waitingSince ? now.getTime() - Date.parse(input.waitingSince) : 0;
  // Already waited past the figure: repeating it would be a promise already broken.
  if (waited > typical) return { kind: 'unknown', ahead, reason: 'already waited longer than usual' };
  const minutes = Math.max(1, Math.ceil(typical / MINUTE_MS));
  if (minutes > 60) return { kind: 'over_an_hour', ahead, reason: `p75 of ${waits.length} claims` };
  return { kind: 'minutes', minutes, ahead, reason: `p75 of ${waits.length} claims` };
}
