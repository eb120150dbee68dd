import { describe, expect, it } from 'vitest';
import { isOverdue, markReply, undeliveredReason } from './delivery-mark-rules.js';

const AT = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-01T10:05:00.000Z';

describe('markReply', () => {
  it('marks delivered, then seen, each once', () => {
    const delivered = markReply({}, 'delivered', AT)!;
    expect(delivered).toEqual({
      state: { deliveredAt: AT },
      reactions: [{ op: 'add', name: 'white_check_mark' }],
    });
    expect(markReply(delivered.state, 'delivered', LATER)).toBeUndefined();
    const seen = markReply(delivered.state, 'seen', LATER)!;
    expect(seen).toEqual({
      state: { deliveredAt: AT, seenAt: LATER },
      reactions: [{ op: 'add', name: 'eyes' }],
    });
    expect(markReply(seen.state, 'seen', LATER)).toBeUndefined();
  });

  it('takes the warning back when the reply reaches the customer after all, and seen implies delivered', () => {
    const warned = markReply({}, 'undelivered', AT)!;
    expect(warned.reactions).toEqual([{ op: 'add', name: 'warning' }]);
    expect(markReply(warned.state, 'seen', LATER)!.reactions).toEqual([
      { op: 'add', name: 'white_check_mark' },
      { op: 'add', name: 'eyes' },
      { op: 'remove', name: 'warning' },
    ]);
    const emailed = markReply(warned.state, 'emailed', LATER)!;
    expect(emailed.reactions).toEqual([
      { op: 'add', name: 'envelope' },
      { op: 'remove', name: 'warning' },
    ]);
    // Once reached, a later delivery takes nothing back twice.
    expect(markReply(emailed.state, 'delivered', LATER)!.reactions).toEqual([
      { op: 'add', name: 'white_check_mark' },
    ]);
  });

  it('never warns about a reply that arrived, or twice', () => {
    expect(markReply({ deliveredAt: AT }, 'undelivered', LATER)).toBeUndefined();
    expect(markReply({ emailedAt: AT }, 'undelivered', LATER)).toBeUndefined();
    expect(markReply({ undeliveredAt: AT }, 'undelivered', LATER)).toBeUndefined();
  });
});

describe('isOverdue', () => {
  it('is two minutes without delivery, email or an earlier warning', () => {
    const at = (s: number) => new Date(Date.parse(AT) + s * 1000);
    expect(isOverdue({}, AT, at(119))).toBe(false);
    expect(isOverdue({}, AT, at(120))).toBe(true);
    expect(isOverdue({ deliveredAt: AT }, AT, at(600))).toBe(false);
    expect(isOverdue({ emailedAt: AT }, AT, at(600))).toBe(false);
    expect(isOverdue({ undeliveredAt: AT }, AT, at(600))).toBe(false);
  });
});

describe('undeliveredReason', () => {
  it('says what stands between the reply and the customer', () => {
    const reason = (email: Parameters<typeof undeliveredReason>[0], hasAddress: boolean, canEmail: boolean) =>
      undeliveredReason(email, { hasAddress, canEmail });
    expect(reason('failed', true, true)).toContain('could not be delivered');
    expect(reason('pending', true, true)).toContain('still being retried');
    expect(reason('none', false, true)).toContain('left no email address');
    expect(reason('none', true, false)).toContain('SMTP is not set up');
    expect(reason('none', true, true)).toContain('the chat was open when you replied');
  });
});
