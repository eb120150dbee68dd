import { changeAgent } from '../desk/agent-service.js';
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

/** Anyone may set their own presence; the desk audits and announces it like any other change. */
export async function setPresence(
  deps: ServiceDeps,
  userId: string,
  presence: Presence,
): Promise<CommandReply> {
  await changeAgent(deps, {
    actor: userId,
    agent: userId,
    change: { field: 'presence', value: presence },
    announce: `${ICON[presence]} <@${userId}> is now ${presence}.`,
  });
  const note =
    presence === 'available'
      ? 'New handoffs can be routed to you.'
      : 'You will get no new handoffs until you are available.';
  return { text: `You are now *${presence}*. ${note}` };
}

export async function setSkills(
  deps: ServiceDeps,
  actor: string,
  agent: string,
  skills: string[],
): Promise<CommandReply> {
  const list = skills.length > 0 ? skills.join(', ') : 'none';
  await changeAgent(deps, {
    actor,
    agent,
    change: { field: 'skills', value: skills },
    announce: `:gear: <@${actor}> set the skills of <@${agent}>: ${list}.`,
  });
  return { text: `<@${agent}> now has skills: ${list}.` };
}

export async function setCapacity(
  deps: ServiceDeps,
  actor: string,
  agent: string,
  capacity: number,
): Promise<CommandReply> {
  await changeAgent(deps, {
    actor,
    agent,
    change: { field: 'capacity', value: capacity },
    announce: `:gear: <@${actor}> set the capacity of <@${agent}> to ${capacity}.`,
  });
  return { text: `<@${agent}> takes at most ${capacity} conversation${capacity === 1 ? '' : 's'} at once.` };
}
