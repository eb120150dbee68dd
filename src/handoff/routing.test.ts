import { describe, expect, it } from 'vitest';
import { type AgentState, effectivePresence, routeHandoff } from './routing.js';

const agent = (id: string, over: Partial<AgentState> = {}): AgentState => ({
  id,
  slackActive: true,
  openConversations: 0,
  skills: [],
  ...over,
});

describe('effectivePresence', () => {
  it('follows Slack when no presence was set, and counts an agent at capacity as busy', () => {
    expect(effectivePresence(agent('a'))).toBe('available');
    expect(effectivePresence(agent('a', { slackActive: false }))).toBe('away');
    expect(effectivePresence(agent('a', { presence: 'available', slackActive: false }))).toBe('available');
    expect(effectivePresence(agent('a', { presence: 'offline' }))).toBe('offline');
    expect(effectivePresence(agent('a', { capacity: 2, openConversations: 2 }))).toBe('busy');
    expect(effectivePresence(agent('a', { capacity: 2, openConversations: 1 }))).toBe('available');
  });
});

describe('routeHandoff', () => {
  const team = [
    agent('dana', { lastAssignedAt: '2026-01-01T10:00:00Z', skills: ['billing'], openConversations: 3 }),
    agent('sam', { lastAssignedAt: '2026-01-01T09:00:00Z', openConversations: 1 }),
    agent('alex', { presence: 'busy' }),
    agent('kim', { slackActive: false }),
  ];

  it('round robin picks whoever waited longest since their last assignment, skipping the unavailable', () => {
    expect(routeHandoff('round-robin', team, {})).toMatchObject({ kind: 'assign', agentId: 'sam' });
    const next = team.map((a) => (a.id === 'sam' ? { ...a, lastAssignedAt: '2026-01-01T11:00:00Z' } : a));
    expect(routeHandoff('round-robin', next, {})).toMatchObject({ kind: 'assign', agentId: 'dana' });
  });

  it('first available notifies everyone available', () => {
    expect(routeHandoff('first-available', team, {})).toEqual({
      kind: 'broadcast',
      agentIds: ['dana', 'sam'],
      why: 'everyone available is notified',
    });
  });

  it('skill routing prefers a matching skill and falls back to anyone available', () => {
    expect(routeHandoff('skill', team, { topic: 'billing' })).toMatchObject({
      agentId: 'dana',
      why: 'has the billing skill',
    });
    expect(routeHandoff('skill', team, { topic: 'shipping' })).toMatchObject({ agentId: 'sam' });
  });

  it('load balancing picks the fewest open conversations', () => {
    expect(routeHandoff('load-balanced', team, {})).toMatchObject({ agentId: 'sam' });
  });

  it('finds nobody when no one is available, and honours exclusions', () => {
    expect(routeHandoff('round-robin', [team[2]!, team[3]!], {})).toEqual({ kind: 'nobody' });
    expect(routeHandoff('round-robin', team, { exclude: ['sam'] })).toMatchObject({ agentId: 'dana' });
  });
});
