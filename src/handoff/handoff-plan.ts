import { listAgentRecords, openConversationsByAgent } from '../desk/agent-repository.js';
import { isOpen } from '../desk/business-hours.js';
import type { Conversation } from '../conversation/conversation.js';
import type { DeskSettings } from '../desk/desk-settings.js';
import { type AgentState, matchTeamRoute, type RoutingDecision, routeHandoff } from './routing.js';
import type { ServiceDeps } from '../ports.js';

export interface HandoffPlan {
  channel: string;
  open: boolean;
  decision: RoutingDecision;
  settings: DeskSettings;
}

/** The current state of every agent in a channel: stored presence, Slack presence, load. */
export async function agentStates(deps: ServiceDeps, channel: string): Promise<AgentState[]> {
  const [members, records, open] = await Promise.all([
    // If Slack cannot list the channel, nobody can be routed to: the customer gets the honest offline path.
    deps.workspace.channelMembers(channel).catch((error: unknown): string[] => {
      deps.log.warn({ err: error, channel }, 'cannot list the handoff channel members');
      return [];
    }),
    listAgentRecords(deps.db),
    openConversationsByAgent(deps.db),
  ]);
  const byId = new Map(records.map((r) => [r.slackUserId, r]));
  return Promise.all(
    members.map(async (id) => {
      const record = byId.get(id);
      return {
        id,
        presence: record?.presence,
        // Only asked when needed: an explicit presence wins over Slack's.
        slackActive: record?.presence ? false : await deps.workspace.isActive(id).catch(() => false),
        openConversations: open.get(id) ?? 0,
        capacity: record?.capacity,
        skills: record?.skills ?? [],
        lastAssignedAt: record?.lastAssignedAt,
      };
    }),
  );
}

/** The team channel a conversation's card goes to: the first matching route, else the handoff channel. */
export function routeChannel(
  deps: Pick<ServiceDeps, 'handoffChannel'>,
  settings: DeskSettings,
  conversation: Pick<Conversation, 'pageUrl'>,
  topic: string | undefined,
): string {
  return (
    matchTeamRoute(settings.routes, { pageUrl: conversation.pageUrl, topic })?.channel ?? deps.handoffChannel
  );
}

/** Where a handoff goes, to whom, whether anyone can take it now, and how long the customer may wait. */
export async function planHandoff(
  deps: ServiceDeps,
  conversation: Conversation,
  topic: string | undefined,
  known?: DeskSettings,
): Promise<HandoffPlan> {
  const settings = known ?? (await deps.settings());
  const channel = routeChannel(deps, settings, conversation, topic);
  const open = isOpen(settings.hours, deps.now());
  const agents = await agentStates(deps, channel);
  const decision: RoutingDecision = open
    ? routeHandoff(settings.routing, agents, { topic })
    : { kind: 'nobody' };
  return { channel, open, decision, settings };
}
