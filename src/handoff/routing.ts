import type { Presence, RoutingMethod, TeamRoute } from '../desk/desk-settings.js';

export interface AgentState {
  id: string;
  /** Explicitly set with /baton presence; undefined follows Slack presence. */
  presence?: Presence;
  slackActive: boolean;
  openConversations: number;
  capacity?: number;
  skills: string[];
  /** ISO time of the last handoff routed to this agent; drives round robin. */
  lastAssignedAt?: string;
}

/** What an agent counts as right now: at capacity means busy, no explicit presence follows Slack. */
export function effectivePresence(agent: AgentState): Presence {
  const base = agent.presence ?? (agent.slackActive ? 'available' : 'away');
  if (base === 'available' && agent.capacity !== undefined && agent.openConversations >= agent.capacity)
    return 'busy';
  return base;
}

export type RoutingDecision =
  | { kind: 'assign'; agentId: string; why: string }
  | { kind: 'broadcast'; agentIds: string[]; why: string }
  | { kind: 'nobody' };

/** Oldest assignment first; never-assigned agents first of all; ties broken by id for determinism. */
function byLastAssigned(a: AgentState, b: AgentState): number {
  const x = a.lastAssignedAt ?? '';
  const y = b.lastAssignedAt ?? '';
  return x === y ? a.id.localeCompare(b.id) : x < y ? -1 : 1;
}

/**
 * Picks who a handoff goes to. Pure; fairness over time comes from `lastAssignedAt`, which is stored,
 * so round robin survives restarts. Anyone may still claim whatever the decision.
 */
export function routeHandoff(
  method: RoutingMethod,
  agents: AgentState[],
  context: { topic?: string; exclude?: string[] },
): RoutingDecision {
  const available = agents.filter(
    (a) => effectivePresence(a) === 'available' && !context.exclude?.includes(a.id),
  );
  if (available.length === 0) return { kind: 'nobody' };
  switch (method) {
    case 'first-available':
      return {
        kind: 'broadcast',
        agentIds: available.map((a) => a.id).sort(),
        why: 'everyone available is notified',
      };
    case 'load-balanced': {
      const [pick] = [...available].sort(
        (a, b) => a.openConversations - b.openConversations || byLastAssigned(a, b),
      );
      return {
        kind: 'assign',
        agentId: pick!.id,
        why: `fewest open conversations (${pick!.openConversations})`,
      };
    }
    case 'skill': {
      const topic = context.topic?.toLowerCase();
      const skilled = topic ? available.filter((a) => a.skills.includes(topic)) : [];
      const pool = skilled.length > 0 ? skilled : available;
      const [pick] = [...pool].sort(byLastAssigned);
      return {
        kind: 'assign',
        agentId: pick!.id,
        why:
          skilled.length > 0
            ? `has the ${topic} skill`
            : `no one with ${topic ? `the ${topic} skill` : 'a matching skill'} is available`,
      };
    }
    case 'round-robin': {
      const [pick] = [...available].sort(byLastAssigned);
      return { kind: 'assign', agentId: pick!.id, why: 'next in rotation' };
    }
  }
}

/** The first team route matching the conversation, if any (order = order of creation). */
export function matchTeamRoute(
  routes: TeamRoute[],
  conversation: { pageUrl?: string; topic?: string },
): TeamRoute | undefined {
  return routes.find((r) =>
    r.condition.kind === 'url'
      ? (conversation.pageUrl ?? '').toLowerCase().includes(r.condition.contains.toLowerCase())
      : conversation.topic?.toLowerCase() === r.condition.topic,
  );
}
