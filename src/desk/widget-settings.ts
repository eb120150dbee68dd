// The WCAG rules live beside the chat page, which loads them as they are; the server uses the same file.
import { AA_TEXT, contrastRatio, darkerShade } from '../webchat/public/colour-contrast.js';

/**
 * How the chat widget looks and what it says, set by an admin with `/baton widget` and served to
 * every shop page by `GET /api/v1/widget-config`. Text left unset (null) means the widget's own
 * text in the shopper's language: a stored English default would override German visitors' "Chat".
 */
export interface WidgetSettings {
  title: string | null;
  /** The assistant's first bubble before the customer writes; replaces the page's fixed intro. */
  greeting: string | null;
  launcherLabel: string | null;
  /** `#rrggbb` only: it is written into CSS on shop pages and the chat page. */
  color: string;
  position: WidgetPosition;
}

export type WidgetPosition = 'right' | 'left';

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  title: null,
  greeting: null,
  launcherLabel: null,
  color: '#1f5fbf',
  position: 'right',
};

/** Strict on purpose: anything richer (names, rgb(), var()) is more than CSS needs and harder to trust. */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The longest each text may be: the widget's layout is built for these (and the API documents them). */
export const WIDGET_TEXT_LIMITS = { title: 60, greeting: 300, launcherLabel: 30 } as const;

export type WidgetField = keyof WidgetSettings;
export const WIDGET_FIELDS: WidgetField[] = ['title', 'greeting', 'launcherLabel', 'color', 'position'];

/** What an admin sees when a value is refused: the rule, with an example that passes. */
export const WIDGET_FIELD_RULES: Record<WidgetField, string> = {
  title: `title must be 1 to ${WIDGET_TEXT_LIMITS.title} characters`,
  greeting: `greeting must be 1 to ${WIDGET_TEXT_LIMITS.greeting} characters`,
  launcherLabel: `label must be 1 to ${WIDGET_TEXT_LIMITS.launcherLabel} characters`,
  color: 'color must be a hex colour like #1f5fbf',
  position: 'position must be left or right',
};

/**
 * Checks one typed value for `field`. Pure. The value is normalised (whitespace folded in the
 * one-line fields, the colour in lower case) so the stored and served form is always the same. The
 * stored form is checked again against the same limits when read (settings-schemas.ts).
 */
export function parseWidgetValue(
  field: WidgetField,
  text: string,
): { ok: true; value: string } | { ok: false; error: string } {
  const refused = { ok: false, error: `${WIDGET_FIELD_RULES[field]}.` } as const;
  if (field === 'color') {
    if (!HEX_COLOUR.test(text)) return refused;
    const value = text.toLowerCase();
    const unreadable = whiteTextRefusal(value);
    return unreadable ? { ok: false, error: unreadable } : { ok: true, value };
  }
  if (field === 'position') {
    const side = text.toLowerCase();
    return side === 'left' || side === 'right' ? { ok: true, value: side } : refused;
  }
  // A greeting may keep its line breaks; a title or label is one line.
  const value = field === 'greeting' ? text.trim() : text.replace(/\s+/g, ' ').trim();
  return value.length >= 1 && value.length <= WIDGET_TEXT_LIMITS[field] ? { ok: true, value } : refused;
}

/**
 * Why white text cannot go on `hex` (`#rrggbb`), or undefined when it can: the launcher's label, the
 * title bar, the send button and the customer's bubbles are white on the colour, and shop pages
 * cannot ask again, so a colour under WCAG AA (4.5:1) is refused here with a darker shade that passes.
 */
function whiteTextRefusal(hex: string): string | undefined {
  const ratio = contrastRatio(hex, '#ffffff');
  if (ratio >= AA_TEXT) return undefined;
  // Never shown as 4.50:1 when it is just under the line.
  const shown = Math.min(Number(ratio.toFixed(2)), AA_TEXT - 0.01).toFixed(2);
  return (
    `White text on ${hex} has a contrast of ${shown}:1; the widget needs at least ${AA_TEXT}:1 (WCAG AA) ` +
    `for its launcher, title bar and send button. Try ${darkerShade(hex)}, a darker shade that passes.`
  );
}

/** The public view of the settings: exactly the five keys, built field by field (nothing else leaks). */
export function widgetConfigView(w: WidgetSettings): WidgetSettings {
  return {
    title: w.title,
    greeting: w.greeting,
    launcherLabel: w.launcherLabel,
    color: w.color,
    position: w.position,
  };
}
