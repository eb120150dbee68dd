import { describe, expect, it } from 'vitest';
import { cleanMultiline, cleanOneLine, isBlank } from './untrusted-text.js';

describe('visitor text', () => {
  it('drops control, bidi and tag characters but keeps words, line breaks and emoji joiners', () => {
    expect(cleanMultiline('hi\u0000\u0007 there\u001b\u202e!\r\nline\u2028two')).toBe('hi there!\nline\ntwo');
    // Tag characters spell "IGNORE" invisibly: gone.
    expect(cleanMultiline('refund please\u{E0049}\u{E0047}\u{E004E}\u{E004F}\u{E0052}\u{E0045}')).toBe(
      'refund please',
    );
    expect(cleanMultiline('family 👨\u200d👩\u200d👧')).toBe('family 👨\u200d👩\u200d👧');
    expect(cleanOneLine('Eve\u2066\nAdmin\u2069\u2061')).toBe('Eve Admin');
  });

  it('counts text made only of invisible characters or blank fillers as empty', () => {
    for (const text of [
      '\u200b\u200c\ufeff',
      '\u3164',
      '\u2800\u2800',
      '\u115f\u1160 \uffa0',
      '\u{E0041}\u{E0042}',
      '\u2061',
    ])
      expect({ text, blank: isBlank(text), cleaned: cleanMultiline(text) }).toEqual({
        text,
        blank: true,
        cleaned: '',
      });
    expect(isBlank('ok')).toBe(false);
  });
});
