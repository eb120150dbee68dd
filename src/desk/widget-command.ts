import { parseWidgetValue, type WidgetField, type WidgetSettings } from './widget-settings.js';

/** One change asked for by `/baton widget …`: a new value, or `reset` back to the default. */
export type WidgetChange =
  { op: 'set'; field: WidgetField; value: WidgetSettings[WidgetField] } | { op: 'reset'; field: WidgetField };

/** The words an admin types for each field; `label` is shorter to type than `launcherLabel`. */
const TYPED: Record<string, WidgetField> = {
  title: 'title',
  greeting: 'greeting',
  label: 'launcherLabel',
  color: 'color',
  colour: 'color',
  position: 'position',
};
const fieldOf = (word: string | undefined) =>
  word !== undefined && Object.hasOwn(TYPED, word.toLowerCase()) ? TYPED[word.toLowerCase()] : undefined;

/** The typed word for a field, as the admin would type it back. */
export const typedName = (field: WidgetField) => (field === 'launcherLabel' ? 'label' : field);

const FIELD_LIST = 'title, greeting, label, color or position';

/**
 * Parses what follows `/baton widget`. Pure. Nothing means "show the current values". The value is
 * everything after the field name (a title has spaces), checked by the same rules as stored values.
 */
export function parseWidgetCommand(
  text: string,
): { ok: true; change?: WidgetChange } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true };
  const [word = '', ...rest] = trimmed.split(/\s+/);
  if (word.toLowerCase() === 'reset') {
    const field = fieldOf(rest[0]);
    if (!field || rest.length !== 1) return { ok: false, error: `Say which field to reset: ${FIELD_LIST}.` };
    return { ok: true, change: { op: 'reset', field } };
  }
  const field = fieldOf(word);
  if (!field) return { ok: false, error: `"${word.slice(0, 40)}" is not a widget field: use ${FIELD_LIST}.` };
  const value = decodeSlackText(trimmed.slice(word.length).trim());
  if (value === '') return { ok: false, error: `Give a value: ${typedName(field)} needs one.` };
  const parsed = parseWidgetValue(field, value);
  return parsed.ok
    ? { ok: true, change: { op: 'set', field, value: parsed.value } }
    : { ok: false, error: parsed.error };
}

/**
 * Slack sends `&`, `<` and `>` in a slash command's text as `&amp;`, `&lt;`, `&gt;`: a title "Q&A" would
 * otherwise reach the widget as "Q&amp;A". The widget shows text with textContent, so decoded is safe.
 */
function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
