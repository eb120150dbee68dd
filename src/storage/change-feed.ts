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
 * Tells every instance (this one too) that a conversation changed, inside the transaction that changes
 * it, so instances hear of it only once it is committed and in commit order: PostgreSQL delivers the
 * notifications of different transactions in the order they committed, which for one conversation is
 * its seq order. SQLite has one instance, which publishes its changes itself: nothing to do.
 */
export async function announceChange(db: Db, change: LiveChange): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(change)})`.execute(db);
}

/** Reads a notification's payload back, or undefined when unreadable. */
export function readChange(payload: string): LiveChange | undefined {
  try {
    const change = liveChangeSchema.safeParse(JSON.parse(payload));
    return change.success ? change.data : undefined;
  } catch {
    return undefined;
  }
}
