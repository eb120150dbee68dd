import { describe, expect, it } from 'vitest';
import { AA_TEXT, DARK_TEXT, contrastRatio, darkerShade, luminance, textOn } from './colour-contrast.js';

describe('WCAG 2.x contrast', () => {
  it('gives the known ratios, in either order', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#1f5fbf', '#1f5fbf')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#FFFFFF')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2);
    expect(contrastRatio('#ff0000', '#ffffff')).toBeCloseTo(4.0, 2);
    expect(luminance('#808080')).toBeCloseTo(0.2159, 4);
    expect(() => luminance('red')).toThrow(TypeError);
  });

  it('suggests the lightest darker shade that white text passes on', () => {
    expect(darkerShade('#1f5fbf')).toBe('#1f5fbf'); // already passes: unchanged
    for (const light of ['#ffeb3b', '#777777', '#ffffff', '#7fdbff']) {
      const shade = darkerShade(light);
      expect(contrastRatio(shade, '#ffffff'), `${light} -> ${shade}`).toBeGreaterThanOrEqual(AA_TEXT);
      expect(shade).not.toBe('#000000'); // a shade of the colour, not just black
      // The lightest that passes: a 2% step lighter would not reach AA, so it lands just above the line.
      expect(contrastRatio(shade, '#ffffff'), `${light} -> ${shade}`).toBeLessThan(AA_TEXT + 0.3);
    }
    expect(darkerShade('#777777')).toBe('#757575');
    expect(darkerShade('#ffeb3b')).toBe('#80761e');
    // Against a light grey rather than white: a step darker still.
    const onGrey = darkerShade('#ffeb3b', '#f1f3f7');
    expect(contrastRatio(onGrey, '#f1f3f7')).toBeGreaterThanOrEqual(AA_TEXT);
    expect(contrastRatio('#80761e', '#f1f3f7')).toBeLessThan(AA_TEXT);
  });

  it('puts white text on dark colours and dark text on light ones', () => {
    expect(textOn('#1f5fbf')).toBe('#ffffff');
    expect(textOn('#767676')).toBe('#ffffff');
    expect(textOn('#ffeb3b')).toBe(DARK_TEXT);
    expect(contrastRatio('#ffeb3b', DARK_TEXT)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(textOn('#ffffff')).toBe(DARK_TEXT);
    // Neither passes on #777777 (4.48 with white, about 4.2 with the dark text): the better one.
    expect(contrastRatio('#777777', DARK_TEXT)).toBeLessThan(contrastRatio('#777777', '#ffffff'));
    expect(textOn('#777777')).toBe('#ffffff');
    expect(textOn('#808080')).toBe(DARK_TEXT);
  });
});
