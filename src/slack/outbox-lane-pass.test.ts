import { describe, expect, it } from 'vitest';
import { handoffCard as card, threadLine as line } from './outbox-item-fixtures.js';
import { dueHeads } from './outbox-lane-pass.js';

describe('dueHeads', () => {
  it('sends what is due and wakes for what is deferred', () => {
    expect(dueHeads([card(5), line(1)], 100)).toEqual({ due: [card(5), line(1)] });
    expect(dueHeads([line(1, 500)], 100)).toEqual({ due: [], wakeAt: 500 });
    // A thread line deferred on its own does not hold back a card that may overtake it.
    expect(dueHeads([card(5), line(1, 500)], 100)).toEqual({ due: [card(5)], wakeAt: 500 });
  });

  it('holds the whole channel while its card waits out a Retry-After', () => {
    expect(dueHeads([card(5, 300), line(1)], 100)).toEqual({ due: [], wakeAt: 300 });
    expect(dueHeads([card(5, 300), line(1)], 300)).toEqual({ due: [card(5, 300), line(1)] });
  });
});
