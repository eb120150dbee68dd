// WCAG 2.x contrast of `#rrggbb` colours: one module for the server's check of `/baton widget color`
// (src/desk/widget-settings.ts) and for the chat page's text on the widget's accent (page-theme.js).
// Plain JS because the page loads it as is; the types are in colour-contrast.d.ts. widget.js, a
// classic script, cannot import it and keeps a few-line copy of `luminance` (see there).

/** The least contrast for normal-size text at level AA (WCAG 2.x, 1.4.3). */
export const AA_TEXT = 4.5;
/** The dark text put on an accent too light for white text. */
export const DARK_TEXT = '#111111';

const HEX = /^#[0-9a-f]{6}$/i;
const channels = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const toHex = (rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance of `#rrggbb`, 0 (black) to 1 (white), by the WCAG 2.x formula. */
export function luminance(hex) {
  if (!HEX.test(hex)) throw new TypeError(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours, 1 to 21; the order does not matter. */
export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The lightest shade of `hex` (mixed with black in 2% steps) that reaches AA against the light colour
 * `other` (white by default): `hex` itself when it already does. Suggested to an admin whose colour
 * white text cannot go on; the page's links in the accent colour use it too.
 */
export function darkerShade(hex, other = '#ffffff') {
  const rgb = channels(hex);
  for (let step = 0; step <= 50; step += 1) {
    const shade = toHex(rgb.map((c) => Math.round(c * (1 - step / 50))));
    if (contrastRatio(shade, other) >= AA_TEXT) return shade;
  }
  return '#000000';
}

/**
 * The text colour for `hex` as a background: white when it reaches AA, otherwise the dark text when
 * that does better (a light colour); a middle grey where neither reaches AA keeps the better of the two.
 */
export function textOn(hex) {
  const white = contrastRatio(hex, '#ffffff');
  return white >= AA_TEXT || white >= contrastRatio(hex, DARK_TEXT) ? '#ffffff' : DARK_TEXT;
}
