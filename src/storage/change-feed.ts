import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/** The PostgreSQL channel that carries conversation changes between the instances of a fleet. */
export const LIVE_CHANNEL = 'baton_live';

export const liveChangeSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('message'), c: z.string().min(1), seq: z.number().int().positive() }),
  z.object({ k: z.literal('status'), c: z.string().min(1) }),
]);
export type LiveChange = z.infer<typeof liveChangeSchema>;

/**
 * Tells the other instances that a conversation changed, inside the transaction that changes it, so
 * they hear of it only once it is committed and in commit order (PostgreSQL delivers notifications of
 * different transactions in the order they committed: a conversation's seq order). The payload names
 * the instance, its connection's application_name, so it can skip its own. SQLite has one instance: nothing to do.
 */
export async function announceChange(db: Db, change: LiveChange): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`select pg_notify(${LIVE_CHANNEL}, current_setting('application_name') || ' ' || ${JSON.stringify(change)})`.execute(
    db,
  );
}

/** Reads a notification's payload back: the instance it came from and the change, or undefined when unreadable. */
export function readChange(payload: string): { origin: string; change: LiveChange } | undefined {
  const space = payload.indexOf(' ');
  if (space <= 0) return undefined;
  try {
    const change = liveChangeSchema.safeParse(JSON.parse(payload.slice(space + 1)));
    return change.success ? { origin: payload.slice(0, space), change: change.data } : undefined;
  } catch {
    return undefined;
  }
}
