import { describe, expect, it } from 'vitest';
import { describeHours, isOpen, parseDays } from './business-hours.js';

describe('business hours', () => {
  it('parses day ranges and lists', () => {
    expect(parseDays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('sat,sun')).toEqual([0, 6]);
    expect(parseDays('fri-mon')).toEqual([0, 1, 5, 6]);
    expect(parseDays('daily')).toHaveLength(7);
    expect(parseDays('funday')).toBeUndefined();
  });

  it('decides in the desk time zone, across a date boundary', () => {
    const berlin = { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00', timeZone: 'Europe/Berlin' };
    // Monday 07:30 UTC is 08:30 in Berlin (winter): closed; 08:30 UTC is 09:30: open.
    expect(isOpen(berlin, new Date('2026-11-23T07:30:00Z'))).toBe(false);
    expect(isOpen(berlin, new Date('2026-11-23T08:30:00Z'))).toBe(true);
    // Friday 23:30 UTC is already Saturday 00:30 in Berlin: closed even though it is a weekday in UTC.
    const lateShift = { days: [5], from: '00:00', to: '23:59', timeZone: 'Europe/Berlin' };
    expect(isOpen(lateShift, new Date('2026-11-27T22:30:00Z'))).toBe(true);
    expect(isOpen(lateShift, new Date('2026-11-27T23:30:00Z'))).toBe(false);
    // Tokyo is ahead: Sunday 23:30 UTC is Monday 08:30 there.
    const tokyo = { days: [1], from: '08:00', to: '18:00', timeZone: 'Asia/Tokyo' };
    expect(isOpen(tokyo, new Date('2026-11-22T23:30:00Z'))).toBe(true);
    expect(isOpen(undefined, new Date())).toBe(true);
  });

  it('describes the hours for people', () => {
    expect(describeHours({ days: [1, 2], from: '09:00', to: '17:00', timeZone: 'UTC' })).toBe(
      'mon, tue, 09:00–17:00 (UTC)',
    );
  });
});
