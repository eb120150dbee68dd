// The admin's look and text on the chat page (`/baton widget`, served by GET /api/v1/widget-config).
// The greeting shows on the full page and in the widget's frame alike. The accent colour and title
// only apply in the frame (embed.js hands them over from the widget, after the shop's `data-baton-*`
// overrides): the full page at `/` keeps its own look, so an admin's launcher colour for the shops
// cannot make Baton's own page unreadable. Every value is checked again here before it is used.

import { darkerShade, DARK_TEXT, textOn } from './colour-contrast.js';

const HEX = /^#[0-9a-f]{6}$/i;
const fits = (v, max) => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/**
 * Makes `color` (only ever `#rrggbb`) the page's accent: send button, customer bubbles, links. A shop's
 * `data-baton-color` is not checked by the server, so the text stays readable (WCAG AA) here: dark
 * text on a light accent (`--on-brand`, hover lighter rather than darker), and links and outlined
 * buttons on white in a darker shade of it (`--brand-ink`).
 */
export function applyAccent(color) {
  if (typeof color !== 'string' || !HEX.test(color)) return;
  const root = document.documentElement.style; // CSSOM, not a style attribute: the page's CSP allows it
  const ink = textOn(color);
  root.setProperty('--brand', color);
  root.setProperty('--on-brand', ink);
  // Links sit on white and on the assistant's grey bubble (--bubble-in): dark enough for the grey.
  root.setProperty('--brand-ink', darkerShade(color, '#f1f3f7'));
  root.setProperty(
    '--brand-dark',
    `color-mix(in srgb, ${color} 80%, ${ink === DARK_TEXT ? 'white' : 'black'})`,
  );
  root.setProperty('--brand-soft', `color-mix(in srgb, ${color} 12%, white)`);
}

/** The frame's document title follows the widget's, for assistive tech that announces it. */
export function applyTitle(title) {
  if (fits(title, 60)) document.title = title.trim();
}

/**
 * Shows the admin's greeting as the assistant's first bubble in place of the fixed intro. Fetched
 * once; on any failure the intro from the catalogue stays, with nothing logged (it is not an error
 * the customer can act on).
 */
export function showGreeting(doc = document) {
  return fetch('/api/v1/widget-config', { credentials: 'omit' })
    .then((res) => (res.ok ? res.json() : null))
    .then((config) => {
      if (!config || !fits(config.greeting, 300)) return;
      const greeting = doc.getElementById('greeting');
      const text = doc.getElementById('greeting-text');
      const intro = doc.querySelector('.intro');
      if (!greeting || !text) return;
      text.textContent = config.greeting.trim();
      greeting.hidden = false;
      if (intro instanceof HTMLElement) intro.hidden = true;
    })
    .catch(() => {});
}
