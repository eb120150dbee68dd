import type { ServiceDeps } from '../ports.js';
import { findOpenClaimedBy } from './handoff-lists.js';
import { findLatestHandoff } from './handoff-repository.js';

/** Which conversation a `/baton resolve|transfer` acts on, and whether as an admin. */
export type ActingOn =
  | { kind: 'one'; handoffId: string; conversationId: string; asAdmin: boolean }
  | { kind: 'none' }
  | { kind: 'several'; conversationIds: string[] };

/**
 * An agent acts on the conversation they claimed (naming it only when they have several). Admins may also
 * act on one someone else holds, or nobody has claimed yet, when they name it (that agent left, or is away).
 */
export async function findHandoffToActOn(
  deps: Pick<ServiceDeps, 'db' | 'workspace'>,
  userId: string,
  conversationId?: string,
): Promise<ActingOn> {
  const own = await findOpenClaimedBy(deps.db, userId, conversationId);
  if (own.length === 1) return { kind: 'one', ...own[0]!, asAdmin: false };
  if (own.length > 1) return { kind: 'several', conversationIds: own.map((h) => h.conversationId) };
  if (!conversationId || !(await deps.workspace.isWorkspaceAdmin(userId))) return { kind: 'none' };
  const latest = await findLatestHandoff(deps.db, conversationId);
  if (!latest || latest.resolvedAt) return { kind: 'none' };
  return { kind: 'one', handoffId: latest.id, conversationId, asAdmin: true };
}
