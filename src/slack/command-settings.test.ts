import { describe, expect, it } from 'vitest';
import { DEFAULT_TRIGGER_SETTINGS } from '../handoff/triggers.js';
import { describeTriggers } from './command-settings.js';

describe('/baton triggers', () => {
  it('says sensitive topics hand off by meaning, and how to add keywords when there are none', () => {
    const text = describeTriggers(DEFAULT_TRIGGER_SETTINGS);
    expect(text).toContain('by meaning');
    expect(text).toContain('extra keywords: none (add with `/baton trigger keywords add <words>`)');
  });

  it('lists the keywords an admin added, each in a code span', () => {
    const text = describeTriggers({
      ...DEFAULT_TRIGGER_SETTINGS,
      sensitive: { enabled: true, keywords: ['warranty', '*bold*'] },
    });
    expect(text).toContain('extra keywords: `warranty` `*bold*`');
  });
});
