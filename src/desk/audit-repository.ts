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
