import { describe, expect, it } from 'vitest';
import { createAddressBudget } from './address-budget.js';

describe('createAddressBudget', () => {
  it('allows `limit` per address per window, then refuses until the window turns', () => {
    let t = 1_000_000;
    const budget = createAddressBudget(2, 60_000, () => t);
    expect([budget.take('a'), budget.take('a'), budget.take('a'), budget.take('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    t += 30_000;
    expect(budget.take('a')).toBe(false);
    expect(budget.retryAfterSeconds()).toBe(30);
    t += 30_000;
    expect(budget.take('a')).toBe(true);
    expect(budget.retryAfterSeconds()).toBe(60);
  });
});
