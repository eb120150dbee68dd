import { describe, expect, it } from 'vitest';
import { triggerCommandText, type TriggerChange } from '../handoff/trigger-change.js';
import { isTriggerChange, parseBatonCommand, USAGE } from './command-parser.js';

describe('/baton triggers test', () => {
  it('reads the change as `/baton trigger` would', () => {
    for (const [text, change] of [
      ['triggers test confidence 0.5', { kind: 'trigger_confidence', value: 0.5 }],
      ['triggers test sentiment off', { kind: 'trigger_toggle', trigger: 'sentiment', on: false }],
      ['triggers TEST keywords add Warranty', { kind: 'trigger_keywords', op: 'add', words: ['warranty'] }],
      ['triggers test turns 4', { kind: 'trigger_turns', value: 4 }],
    ] as const) {
      expect(parseBatonCommand(text)).toEqual({ ok: true, command: { kind: 'triggers_test', change } });
    }
    // How far back, as an optional last word.
    expect(parseBatonCommand('triggers test sentiment off 7d')).toEqual({
      ok: true,
      command: {
        kind: 'triggers_test',
        change: { kind: 'trigger_toggle', trigger: 'sentiment', on: false },
        days: 7,
      },
    });
    expect(parseBatonCommand('triggers test keywords add warranty 90D')).toMatchObject({
      ok: true,
      command: { change: { words: ['warranty'] }, days: 90 },
    });
  });

  it('refuses what is not a trigger change, with the usage of `triggers`', () => {
    for (const [text, error] of [
      ['triggers confidence 0.5', 'Say `test` and the change to try.'],
      ['triggers test', '"" is not a trigger.'],
      ['triggers test confidence 1.5', 'Confidence is a number from 0 to 1.'],
      ['triggers test routing skill', '"routing" is not a trigger.'],
      ['triggers test keywords add', 'Use: trigger keywords add|remove <words...>'],
      ['triggers test confidence 0.5 400d', 'Look back 1d to 365d.'],
      ['triggers test confidence 0.5 0d', 'Look back 1d to 365d.'],
    ] as const) {
      expect(parseBatonCommand(text)).toEqual({ ok: false, error, usage: USAGE.triggers });
    }
  });

  it('words every change so that the parser reads back the same change (the Apply button runs them)', () => {
    const changes: TriggerChange[] = [
      { kind: 'trigger_toggle', trigger: 'repeat', on: true },
      { kind: 'trigger_confidence', value: 0.45 },
      { kind: 'trigger_sentiment', value: -0.7 },
      { kind: 'trigger_turns', value: 9 },
      { kind: 'trigger_keywords', op: 'remove', words: ['chargeback', "o'neil"] },
    ];
    for (const change of changes) {
      const parsed = parseBatonCommand(triggerCommandText(change));
      expect(parsed).toEqual({ ok: true, command: change });
      expect(parsed.ok && isTriggerChange(parsed.command)).toBe(true);
    }
    for (const text of ['triggers', 'triggers test repeat on', 'routing skill']) {
      const parsed = parseBatonCommand(text);
      expect(parsed.ok && isTriggerChange(parsed.command)).toBe(false);
    }
  });
});
