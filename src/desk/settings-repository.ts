import { z } from 'zod';
import type { Db } from '../storage/database.js';

/** Told why a stored setting was ignored: the row is not JSON, or not the shape its schema expects. */
export type OnInvalidSetting = (key: string, problem: string) => void;

/**
 * One stored setting, checked against its schema. A row that is not valid JSON or fails the schema
 * reads as absent (the caller's default applies) and is reported to `onInvalid`: settings are read on
 * every customer message, so one bad row must not stop the desk. The next change overwrites it.
 */
export async function readSetting<T>(
  db: Db,
  key: string,
  schema: z.ZodType<T>,
  onInvalid?: OnInvalidSetting,
): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  let stored: unknown;
  try {
    stored = JSON.parse(row.value);
  } catch {
    onInvalid?.(key, 'the stored value is not valid JSON');
    return undefined;
  }
  const parsed = schema.safeParse(stored);
  if (parsed.success) return parsed.data;
  onInvalid?.(key, z.prettifyError(parsed.error));
  return undefined;
}

export async function writeSetting(db: Db, key: string, value: unknown, now: string, by?: string) {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now, updated_by: by ?? null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now, updated_by: by ?? null }),
    )
    .execute();
}
