import { z } from 'zod';

/**
 * Slack sends three body shapes: Events API as JSON, interactions as a form with one `payload`
 * field holding JSON, slash commands as plain form fields. Returns the object Bolt expects, or
 * undefined for a body that is none of them.
 */

const jsonObject = z.record(z.string(), z.unknown());

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    return jsonObject.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined;
  }
}

export function parseSlackBody(
  raw: string,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  if (contentType?.startsWith('application/json')) return parseJsonObject(raw);
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) return parseJsonObject(payload);
  const fields = Object.fromEntries(form);
  return Object.keys(fields).length > 0 ? fields : undefined;
}
