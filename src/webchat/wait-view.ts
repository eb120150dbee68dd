import type { WaitEstimate } from '../handoff/wait-estimate.js';

/**
 * The public shape of the wait (docs/api.md), on a conversation in `waiting` only. Fixed keys, so a
 * client reads them without guessing: `minutes` is null whenever no honest number exists.
 */
export interface WaitView {
  /** Other customers of the same team waiting since before this one. */
  ahead: number;
  /** Three in four recent customers had a person within this many minutes (1-60), or null. */
  minutes: number | null;
  /** Recent customers usually waited more than an hour. */
  overAnHour: boolean;
  /** The desk is outside its business hours now. */
  afterHours: boolean;
}

export function waitView(estimate: WaitEstimate): WaitView {
  return {
    ahead: estimate.ahead,
    minutes: estimate.kind === 'minutes' ? estimate.minutes : null,
    overAnHour: estimate.kind === 'over_an_hour',
    afterHours: estimate.kind === 'after_hours',
  };
}

/** `{ wait }` to spread into a conversation view, or nothing when there is no wait to tell. */
export function withWait(estimate: WaitEstimate | undefined): { wait?: WaitView } {
  return estimate ? { wait: waitView(estimate) } : {};
}
