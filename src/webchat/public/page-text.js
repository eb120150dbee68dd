// The chat page's language and its fixed strings. Chosen once, when the page loads: from `?lang=`
// when the widget framed us (it knows the shop's `data-baton-lang`, which the browser does not),
// otherwise from the browser's own preference. index.html carries the English text, so a page
// whose modules fail still reads; `translatePage` swaps in the chosen catalogue.
import { catalogues, fill, pick } from './messages.js';

const asked = new URLSearchParams(location.search).get('lang');

/** The language this page speaks: a key of `catalogues`. */
export const lang = pick(asked ? [asked] : navigator.languages);

/** The strings of that language. */
export const t = catalogues[lang];

/** `t[key]` with its `{placeholders}` filled. */
export const say = (key, values) => fill(t[key], values);

// Which attribute of an element a `data-i18n-*` marker fills; `data-i18n` is the text itself.
const ATTRS = { 'data-i18n-placeholder': 'placeholder', 'data-i18n-aria-label': 'aria-label' };

/** Puts the chosen strings into every element of `doc` marked with `data-i18n` / `data-i18n-*`. */
export function translatePage(doc) {
  doc.documentElement.lang = lang;
  for (const node of doc.querySelectorAll('[data-i18n]')) {
    const text = t[node.getAttribute('data-i18n')];
    if (text !== undefined) node.textContent = text;
  }
  for (const [marker, attr] of Object.entries(ATTRS)) {
    for (const node of doc.querySelectorAll(`[${marker}]`)) {
      const text = t[node.getAttribute(marker)];
      if (text !== undefined) node.setAttribute(attr, text);
    }
  }
}
