import { describe, expect, it } from 'vitest';
import { applyTriggerChange, describeTriggerDiff } from './trigger-change.js';
import { DEFAULT_TRIGGER_SETTINGS as DEFAULTS } from './triggers.js';

describe('applyTriggerChange', () => {
  it('changes only what the change names', () => {
    expect(applyTriggerChange(DEFAULTS, { kind: 'trigger_toggle', trigger: 'turns', on: false })).toEqual({
      ...DEFAULTS,
      noResolution: { enabled: false, maxTurns: DEFAULTS.noResolution.maxTurns },
    });
    expect(applyTriggerChange(DEFAULTS, { kind: 'trigger_confidence', value: 0.5 }).lowConfidence).toEqual({
      enabled: true,
      threshold: 0.5,
    });
    expect(applyTriggerChange(DEFAULTS, { kind: 'trigger_sentiment', value: -0.8 }).sentiment.threshold).toBe(
      -0.8,
    );
    expect(applyTriggerChange(DEFAULTS, { kind: 'trigger_turns', value: 3 }).noResolution.maxTurns).toBe(3);
    const added = applyTriggerChange(DEFAULTS, { kind: 'trigger_keywords', op: 'add', words: ['a1', 'b2'] });
    expect(added.sensitive.keywords).toEqual(['a1', 'b2']);
    expect(
      applyTriggerChange(added, { kind: 'trigger_keywords', op: 'remove', words: ['a1'] }).sensitive.keywords,
    ).toEqual(['b2']);
    // The settings it was given are left as they were (the current ones are replayed beside it).
    expect(DEFAULTS.sensitive.keywords).toEqual([]);
  });
});

describe('describeTriggerDiff', () => {
  it('says what moved, which way', () => {
    const after = {
      ...DEFAULTS,
      lowConfidence: { enabled: true, threshold: 0.5 },
      sentiment: { enabled: false, threshold: -0.6 },
      sensitive: { enabled: true, keywords: ['warranty'] },
    };
    expect(describeTriggerDiff(DEFAULTS, after)).toEqual([
      'turned sentiment off',
      'raised confidence to 0.5',
      'lowered sentiment to -0.6',
      'added keyword warranty',
    ]);
    expect(describeTriggerDiff(after, DEFAULTS)).toEqual([
      'turned sentiment on',
      'lowered confidence to 0.3',
      'raised sentiment to -0.5',
      'removed keyword warranty',
    ]);
    expect(describeTriggerDiff(DEFAULTS, DEFAULTS)).toEqual([]);
  });
});
