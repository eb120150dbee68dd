import type { Db } from '../storage/database.js';

export interface AuditEntry {
  actor: string;
  action: string;
  oldValue?: unknown;
  newValue?: unknown;
  at: string;
}

/** Every settings change: who, when, what it was and what it became. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      old_value: entry.oldValue === undefined ? null : JSON.stringify(entry.oldValue),
      new_value: entry.newValue === undefined ? null : JSON.stringify(entry.newValue),
      at: entry.at,
    })
    .execute();
}

/** The newest audit entry for `action` (e.g. "set triggers"), if any. */
export async function latestAudit(db: Db, action: string): Promise<AuditEntry | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    actor: row.actor,
    action: row.action,
    oldValue: row.old_value === null ? undefined : (JSON.parse(row.old_value) as unknown),
    newValue: row.new_value === null ? undefined : (JSON.parse(row.new_value) as unknown),
    at: row.at,
  };
}
