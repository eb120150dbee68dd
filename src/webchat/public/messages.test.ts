import { describe, expect, it } from 'vitest';
import { catalogues, de, en, fill, pick } from './messages.js';

/** The `{placeholders}` a string expects, sorted, so two languages can be compared. */
const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('pick', () => {
  it('takes the first browser language that has a catalogue, by its primary subtag', () => {
    expect(pick(['de-DE', 'en-US'])).toBe('de');
    expect(pick(['de-AT'])).toBe('de');
    expect(pick(['DE_ch'])).toBe('de');
    expect(pick(['fr-FR', 'de', 'en'])).toBe('de');
    expect(pick(['en-GB', 'de-DE'])).toBe('en');
  });

  it('falls back to English for unknown, empty or missing preferences', () => {
    expect(pick(['fr-FR', 'ja'])).toBe('en');
    expect(pick([])).toBe('en');
    expect(pick(undefined)).toBe('en');
    expect(pick(['', null, undefined, ' '])).toBe('en');
    // Not fooled by names every object has.
    expect(pick(['constructor', '__proto__', 'toString'])).toBe('en');
  });
});

describe('the catalogues', () => {
  it('have exactly the same keys in every language', () => {
    const keys = Object.keys(en).sort();
    expect(Object.keys(de).sort()).toEqual(keys);
    for (const catalogue of Object.values(catalogues)) expect(Object.keys(catalogue).sort()).toEqual(keys);
  });

  it('fill the same placeholders in every language, and leave no string empty', () => {
    for (const [key, text] of Object.entries(en)) {
      for (const [lang, catalogue] of Object.entries(catalogues)) {
        const other = (catalogue as Record<string, string>)[key]!;
        expect(other.trim(), `${lang}.${key}`).not.toBe('');
        expect(slots(other), `${lang}.${key}`).toEqual(slots(text));
      }
    }
  });

  it('are really translated: German differs from English where the words differ', () => {
    expect(de.talkToPerson).toBe('Mit einer Person sprechen');
    const same = Object.keys(en).filter((k) => en[k as keyof typeof en] === de[k as keyof typeof de]);
    // Words that are the same in both languages ("Okay").
    expect(same).toEqual(['csat3']);
  });
});

describe('fill', () => {
  it('replaces known placeholders and leaves unknown ones as written', () => {
    expect(fill(en.statusClaimedBy, { name: 'Dana' })).toBe('Chatting with Dana');
    expect(fill(de.counterOver, { count: '4.010', max: '4.000', over: 10 })).toBe(
      '4.010 / 4.000 — 10 über dem Limit',
    );
    expect(fill('Hi {name} {other}', { name: '$& {other}' })).toBe('Hi $& {other} {other}');
  });
});
