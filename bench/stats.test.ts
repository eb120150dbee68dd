import { describe, expect, it } from 'vitest';
import { medianRound } from './stats.js';

describe('medianRound', () => {
  it('takes the round in the middle by its figure, whatever the order the rounds ran in', () => {
    const rounds = [{ ratio: 3.2 }, { ratio: 1.6 }, { ratio: 1.9 }];
    expect(medianRound(rounds, (r) => r.ratio)).toBe(rounds[2]);
    expect(rounds.map((r) => r.ratio)).toEqual([3.2, 1.6, 1.9]);
  });

  it('refuses to take the median of no rounds', () => {
    expect(() => medianRound([], (r: { ratio: number }) => r.ratio)).toThrow(/no rounds/);
  });
});
