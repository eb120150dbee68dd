import type { Db } from '../storage/database.js';

export async function readSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
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
