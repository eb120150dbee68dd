import { z } from 'zod';
import { isPresence, type Presence } from './desk-settings.js';
import type { Db } from '../storage/database.js';

export interface AgentRecord {
  slackUserId: string;
  presence?: Presence;
  skills: string[];
  capacity?: number;
  lastAssignedAt?: string;
}

const skillList = z.array(z.string());

/**
 * Unreadable skills read as none and an unknown presence as unset (Slack presence decides): routing
 * lists every agent on every handoff, so one bad row must not stop handoffs for the whole desk.
 */
function parseSkills(json: string): string[] {
  try {
    const parsed = skillList.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function listAgentRecords(db: Db): Promise<AgentRecord[]> {
  const rows = await db.selectFrom('agents').selectAll().execute();
  return rows.map((r) => ({
    slackUserId: r.slack_user_id,
    presence: r.presence !== null && isPresence(r.presence) ? r.presence : undefined,
    skills: parseSkills(r.skills),
    capacity: r.capacity ?? undefined,
    lastAssignedAt: r.last_assigned_at ?? undefined,
  }));
}

async function ensureAgent(db: Db, id: string, now: string) {
  await db
    .insertInto('agents')
    .values({
      slack_user_id: id,
      presence: null,
      skills: '[]',
      capacity: null,
      last_assigned_at: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('slack_user_id').doNothing())
    .execute();
}

export async function setAgentFields(
  db: Db,
  id: string,
  fields: {
    presence?: Presence | null;
    skills?: string[];
    capacity?: number | null;
    lastAssignedAt?: string;
  },
  now: string,
) {
  await ensureAgent(db, id, now);
  await db
    .updateTable('agents')
    .set({
      ...(fields.presence !== undefined ? { presence: fields.presence } : {}),
      ...(fields.skills !== undefined ? { skills: JSON.stringify(fields.skills) } : {}),
      ...(fields.capacity !== undefined ? { capacity: fields.capacity } : {}),
      ...(fields.lastAssignedAt !== undefined ? { last_assigned_at: fields.lastAssignedAt } : {}),
      updated_at: now,
    })
    .where('slack_user_id', '=', id)
    .execute();
}

/** Open (claimed, unresolved) conversations per agent: what capacity and load balancing count. */
export async function openConversationsByAgent(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('handoffs')
    .select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')])
    .where('claimed_by', 'is not', null)
    .where('resolved_at', 'is', null)
    .groupBy('claimed_by')
    .execute();
  return new Map(rows.map((r) => [r.claimed_by!, Number(r.n)]));
}
