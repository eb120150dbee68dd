import type { Db } from './database.js';

/** An instance not seen for this long is taken as gone: its streams no longer count. */
export const INSTANCE_GONE_MS = 15_000;
/** Rows of instances gone this long are deleted when another instance starts. */
const FORGET_AFTER_MS = 60_000;

export async function heartbeat(db: Db, instanceId: string, nowMs: number): Promise<void> {
  await db
    .insertInto('fleet_instances')
    .values({ instance_id: instanceId, seen_at: nowMs })
    .onConflict((oc) => oc.column('instance_id').doUpdateSet({ seen_at: nowMs }))
    .execute();
}

/** Records whether this instance streams the conversation now (true) or no longer (false). */
export async function setWatching(db: Db, instanceId: string, conversationId: string, watching: boolean) {
  if (watching)
    await db
      .insertInto('live_watchers')
      .values({ conversation_id: conversationId, instance_id: instanceId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  else
    await db
      .deleteFrom('live_watchers')
      .where('conversation_id', '=', conversationId)
      .where('instance_id', '=', instanceId)
      .execute();
}

/** Whether an instance other than `self`, seen lately, streams the conversation. */
export async function watchedElsewhere(db: Db, self: string, conversationId: string, nowMs: number) {
  const row = await db
    .selectFrom('live_watchers as w')
    .innerJoin('fleet_instances as i', 'i.instance_id', 'w.instance_id')
    .select('w.instance_id')
    .where('w.conversation_id', '=', conversationId)
    .where('w.instance_id', '<>', self)
    .where('i.seen_at', '>', nowMs - INSTANCE_GONE_MS)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** An instance leaving (or one long gone) takes its rows with it. */
export async function forgetInstance(db: Db, instanceId: string): Promise<void> {
  await db.deleteFrom('live_watchers').where('instance_id', '=', instanceId).execute();
  await db.deleteFrom('fleet_instances').where('instance_id', '=', instanceId).execute();
}

export async function forgetGoneInstances(db: Db, nowMs: number): Promise<void> {
  const gone = db
    .selectFrom('fleet_instances')
    .select('instance_id')
    .where('seen_at', '<', nowMs - FORGET_AFTER_MS);
  await db.deleteFrom('live_watchers').where('instance_id', 'in', gone).execute();
  await db
    .deleteFrom('fleet_instances')
    .where('seen_at', '<', nowMs - FORGET_AFTER_MS)
    .execute();
}
