import { setAgentFields } from '../desk/agent-repository.js';
import { appendAudit } from '../desk/audit-repository.js';
import type { Presence } from '../desk/desk-settings.js';
import { effectivePresence } from '../handoff/routing.js';
import { agentStates } from '../handoff/handoff-plan.js';
import type { ServiceDeps } from '../ports.js';
import type { CommandReply } from './command-settings.js';
import { escapeMrkdwn } from './mrkdwn.js';

const ICON: Record<Presence, string> = {
  available: ':large_green_circle:',
  busy: ':large_yellow_circle:',
  away: ':white_circle:',
  offline: ':black_circle:',
};

/** `/baton presence` alone: everyone in the handoff channel, as routing sees them right now. */
export async function describePresence(deps: ServiceDeps): Promise<CommandReply> {
  const agents = await agentStates(deps, deps.handoffChannel);
  if (agents.length === 0) return { text: 'Nobody is in the handoff channel yet: invite your agents to it.' };
  const lines = agents.map((a) => {
    const p = effectivePresence(a);
    const source = a.presence ? 'set in Baton' : 'from Slack';
    const load = `${a.openConversations}${a.capacity ? `/${a.capacity}` : ''} open`;
    const skills = a.skills.length > 0 ? ` · skills: ${a.skills.map(escapeMrkdwn).join(', ')}` : '';
    return `${ICON[p]} <@${a.id}> ${p} (${source}) · ${load}${skills}`;
  });
  return { text: `*Agents*\n${lines.join('\n')}` };
}

/** Anyone may set their own presence; it is audited like any other change. */
export async function setPresence(
  deps: ServiceDeps,
  userId: string,
  presence: Presence,
): Promise<CommandReply> {
  const now = deps.now().toISOString();
  await setAgentFields(deps.db, userId, { presence }, now);
  await appendAudit(deps.db, { actor: userId, action: 'set presence', newValue: presence, at: now });
  const note =
    presence === 'available'
      ? 'New handoffs can be routed to you.'
      : 'You will get no new handoffs until you are available.';
  return {
    text: `You are now *${presence}*. ${note}`,
    announce: `${ICON[presence]} <@${userId}> is now ${presence}.`,
  };
}

export async function setSkills(
  deps: ServiceDeps,
  actor: string,
  agent: string,
  skills: string[],
): Promise<CommandReply> {
  const now = deps.now().toISOString();
  await setAgentFields(deps.db, agent, { skills }, now);
  await appendAudit(deps.db, { actor, action: `set skills of ${agent}`, newValue: skills, at: now });
  const list = skills.length > 0 ? skills.join(', ') : 'none';
  return {
    text: `<@${agent}> now has skills: ${list}.`,
    announce: `:gear: <@${actor}> set the skills of <@${agent}>: ${list}.`,
  };
}

export async function setCapacity(
  deps: ServiceDeps,
  actor: string,
  agent: string,
  capacity: number,
): Promise<CommandReply> {
  const now = deps.now().toISOString();
  await setAgentFields(deps.db, agent, { capacity }, now);
  await appendAudit(deps.db, { actor, action: `set capacity of ${agent}`, newValue: capacity, at: now });
  return {
    text: `<@${agent}> takes at most ${capacity} conversation${capacity === 1 ? '' : 's'} at once.`,
    announce: `:gear: <@${actor}> set the capacity of <@${agent}> to ${capacity}.`,
  };
}
