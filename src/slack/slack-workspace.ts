import type { UsersGetPresenceResponse, UsersInfoResponse, WebClient } from '@slack/web-api';
import type { SlackWorkspace } from '../ports.js';

const TTL_MS = 60_000;

/** A one-minute cache of one kind of answer. One cache per kind keeps every value typed. */
function ttlCache<T>(now: () => number) {
  const entries = new Map<string, { at: number; value: T }>();
  return async (key: string, load: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit && now() - hit.at < TTL_MS) return hit.value;
    const value = await load();
    entries.set(key, { at: now(), value });
    return value;
  };
}

/**
 * The agents' side of Slack: channel membership, presence and admin status, each cached for a minute
 * so routing a burst of handoffs does not turn into a burst of Web API calls.
 */
export function createSlackWorkspace(
  client: WebClient,
  opts: { botUserId: string; admins: string[]; now?: () => number },
): SlackWorkspace {
  const now = opts.now ?? Date.now;
  const channelHumans = ttlCache<string[]>(now);
  const users = ttlCache<UsersInfoResponse>(now);
  const presences = ttlCache<UsersGetPresenceResponse>(now);
  const userInfo = (id: string) => users(id, () => client.users.info({ user: id }));
  return {
    channelMembers: (channel) =>
      channelHumans(channel, async () => {
        const members: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.conversations.members({ channel, cursor, limit: 200 });
          members.push(...(page.members ?? []));
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
        const humans = await Promise.all(
          members
            .filter((id) => id !== opts.botUserId)
            .map(async (id) => {
              const info = await userInfo(id);
              return info.user && !info.user.is_bot && !info.user.deleted ? id : undefined;
            }),
        );
        return humans.filter((id): id is string => id !== undefined);
      }),
    isActive: async (userId) =>
      (await presences(userId, () => client.users.getPresence({ user: userId }))).presence === 'active',
    isWorkspaceAdmin: async (userId) => {
      if (opts.admins.includes(userId)) return true;
      const info = await userInfo(userId);
      return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
    },
  };
}
