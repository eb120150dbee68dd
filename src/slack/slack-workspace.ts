import type { UsersGetPresenceResponse, UsersInfoResponse, WebClient } from '@slack/web-api';
import pLimit from 'p-limit';
import type { SlackWorkspace } from '../ports.js';
import { createBoundedCache } from './bounded-cache.js';

/**
 * Budgets for the lookups routing makes while a customer waits for "talk to a person". Slack may be
 * slow or rate-limited (a 429 with Retry-After 20 makes the SDK wait 20 s): past the budget the lookup
 * answers from its last known value, or fails so routing takes the honest offline path, and the
 * Slack call finishes in the background to refresh the cache for the next customer.
 */
export const MEMBERS_BUDGET_MS = 600;
export const USER_BUDGET_MS = 300;
export const ADMIN_BUDGET_MS = 10_000;
/** Presence and user lookups in flight at once (a channel of 200 agents must not fire 200 calls). */
export const LOOKUP_CONCURRENCY = 8;

/** Some members could not be checked in time: these are the ones known to be people. */
class PartialMembers extends Error {
  constructor(readonly known: string[]) {
    super('some channel members could not be looked up in time');
  }
}

/**
 * The agents' side of Slack: channel membership, presence and admin status, each cached for a minute,
 * shared by concurrent callers, bounded in time and in concurrency.
 */
export function createSlackWorkspace(
  client: WebClient,
  opts: {
    botUserId: string;
    admins: string[];
    now?: () => number;
    budgets?: { membersMs?: number; userMs?: number };
  },
): SlackWorkspace {
  const now = opts.now ?? Date.now;
  const membersBudget = opts.budgets?.membersMs ?? MEMBERS_BUDGET_MS;
  const userBudget = opts.budgets?.userMs ?? USER_BUDGET_MS;
  const limit = pLimit(LOOKUP_CONCURRENCY);
  const channelHumans = createBoundedCache<string[]>(now);
  const users = createBoundedCache<UsersInfoResponse>(now);
  const presences = createBoundedCache<UsersGetPresenceResponse>(now);
  const loadUser = (id: string) => () => limit(() => client.users.info({ user: id }));
  const userInfo = (id: string) => users.get(id, userBudget, loadUser(id));

  async function listMembers(channel: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.members({ channel, cursor, limit: 200 });
      members.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    let unverified = 0;
    const humans = await Promise.all(
      members
        .filter((id) => id !== opts.botUserId)
        .map(async (id) => {
          const info = await userInfo(id).catch(() => undefined);
          if (!info?.user) unverified += 1;
          return info?.user && !info.user.is_bot && !info.user.deleted ? id : undefined;
        }),
    );
    const known = humans.filter((id): id is string => id !== undefined);
    // A member Slack could not describe in time might be a bot: left out, and the list not cached.
    if (unverified > 0) throw new PartialMembers(known);
    return known;
  }

  return {
    channelMembers: (channel) =>
      channelHumans
        .get(channel, membersBudget, () => listMembers(channel))
        .catch((error: unknown) => {
          if (error instanceof PartialMembers) return error.known;
          throw error;
        }),
    isActive: async (userId) =>
      (await presences.get(userId, userBudget, () => limit(() => client.users.getPresence({ user: userId }))))
        .presence === 'active',
    isWorkspaceAdmin: async (userId) => {
      if (opts.admins.includes(userId)) return true;
      // Asked for /baton after Slack has its acknowledgement: nobody is waiting on a page, so it may take longer.
      const info = await users.get(userId, ADMIN_BUDGET_MS, loadUser(userId));
      return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
    },
  };
}
