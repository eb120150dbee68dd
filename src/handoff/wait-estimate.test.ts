import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../desk/desk-settings.js';
import { type ClaimSample, estimateWait } from './wait-estimate.js';

// A Tuesday, 10:00 in UTC.
const NOW = new Date('2026-12-01T10:00:00.000Z');
const MIN = 60_000;

/** A claim asked for `hoursAgo` before NOW and taken `waitMs` later. */
function claim(hoursAgo: number, waitMs: number): ClaimSample {
  const asked = NOW.getTime() - hoursAgo * 3_600_000;
  return { triggeredAt: new Date(asked).toISOString(), claimedAt: new Date(asked + waitMs).toISOString() };
}
const claims = (...waitsMs: number[]) => waitsMs.map((w, i) => claim(i + 2, w));
const estimate = (samples: ClaimSample[], more: { hours?: BusinessHours; waitingSince?: string } = {}) =>
  estimateWait({ samples, now: NOW, ahead: 0, ...more });

describe('estimateWait', () => {
  it('gives no number without data, or with fewer than five claims', () => {
    expect(estimate([])).toMatchObject({ kind: 'unknown', reason: '0 claims in 7 days' });
    expect(estimate(claims(MIN, MIN, MIN, MIN))).toMatchObject({ kind: 'unknown' });
  });

  it('promises the p75 of the claim times, rounded up to whole minutes', () => {
    // Sorted 1, 2, 3, 4, 10 minutes: p75 is the fourth, 4 minutes (the median would say 3).
    expect(estimate(claims(10 * MIN, MIN, 3 * MIN, 2 * MIN, 4 * MIN))).toEqual({
      kind: 'minutes',
      minutes: 4,
      ahead: 0,
      reason: 'p75 of 5 claims',
    });
    // 3 min 10 s is "about 4 minutes", never 3.
    expect(estimate(claims(...Array<number>(5).fill(3 * MIN + 10_000)))).toMatchObject({ minutes: 4 });
  });

  it('never says 0 minutes, and says "over an hour" rather than a large number', () => {
    expect(estimate(claims(...Array<number>(5).fill(5_000)))).toMatchObject({ kind: 'minutes', minutes: 1 });
    expect(estimate(claims(...Array<number>(5).fill(60 * MIN)))).toMatchObject({ minutes: 60 });
    expect(estimate(claims(...Array<number>(5).fill(61 * MIN)))).toMatchObject({ kind: 'over_an_hour' });
  });

  it('leaves out claims older than a week, unclaimed-looking ones and those asked for while closed', () => {
    const old = [claim(8 * 24, MIN), claim(9 * 24, MIN)];
    const backwards = {
      triggeredAt: NOW.toISOString(),
      claimedAt: new Date(NOW.getTime() - MIN).toISOString(),
    };
    expect(estimate([...claims(MIN, MIN, MIN), ...old, backwards])).toMatchObject({
      kind: 'unknown',
      reason: '3 claims in 7 days',
    });
    // Open 09:00-17:00 UTC on weekdays: the claims asked for at night (hours 11-15 ago) do not count.
    const hours: BusinessHours = { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00', timeZone: 'UTC' };
    const night = [11, 12, 13, 14, 15].map((h) => claim(h, 600 * MIN));
    const day = [20, 21, 22, 23, 24].map((h) => claim(h, 2 * MIN));
    expect(estimate([...night, ...day], { hours })).toMatchObject({ kind: 'minutes', minutes: 2 });
  });

  it('promises no minutes outside business hours', () => {
    const hours: BusinessHours = { days: [1, 2, 3, 4, 5], from: '11:00', to: '17:00', timeZone: 'UTC' };
    expect(estimate(claims(MIN, MIN, MIN, MIN, MIN), { hours })).toMatchObject({ kind: 'after_hours' });
  });

  it('stops promising once this customer has waited longer than the figure', () => {
    const samples = claims(2 * MIN, 2 * MIN, 2 * MIN, 2 * MIN, 2 * MIN);
    const since = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
    expect(estimate(samples, { waitingSince: since(MIN) })).toMatchObject({ kind: 'minutes', minutes: 2 });
    expect(estimate(samples, { waitingSince: since(3 * MIN) })).toMatchObject({
      kind: 'unknown',
      reason: 'already waited longer than usual',
    });
  });

  it('passes the queue position through', () => {
    expect(estimateWait({ samples: [], now: NOW, ahead: 2 })).toMatchObject({ kind: 'unknown', ahead: 2 });
  });
});
