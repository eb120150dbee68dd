import type { ServiceDeps } from '../ports.js';
import { setAgentFields } from './agent-repository.js';
import { type AnnounceDeps, queueAnnouncement } from './announce.js';
import { appendAudit } from './audit-repository.js';
import type { Presence } from './desk-settings.js';

type Deps = Pick<ServiceDeps, 'db' | 'now' | 'kickOutbox'> & AnnounceDeps;

/** One change to an agent, as the desk records it. */
export type AgentChange =
  | { field: 'presence'; value: Presence }
  | { field: 'skills'; value: string[] }
  | { field: 'capacity'; value: number };

/**
 * Changes one field of an agent (their own presence, or an admin setting their skills or
 * capacity). The change, its audit row and the team's announcement commit together.
 * `announce` is the notice's text, worded by the adapter.
 */
export async function changeAgent(
  deps: Deps,
  input: { actor: string; agent: string; change: AgentChange; announce: string },
): Promise<void> {
  const { actor, agent, change, announce } = input;
  const now = deps.now().toISOString();
  // Presence is the agent's own; the others name whose skills or capacity changed.
  const action = change.field === 'presence' ? 'set presence' : `set ${change.field} of ${agent}`;
  const fields =
    change.field === 'presence'
      ? { presence: change.value }
      : change.field === 'skills'
        ? { skills: change.value }
        : { capacity: change.value };
  await deps.db.transaction().execute(async (trx) => {
    await setAgentFields(trx, agent, fields, now);
    await appendAudit(trx, { actor, action, newValue: change.value, at: now });
    await queueAnnouncement(trx, deps, announce);
  });
  deps.kickOutbox();
}
