import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AgentDirectory } from '../ports.js';

const TTL_MS = 10 * 60 * 1000;

/**
 * Names agents the way Slack shows them: display name, else real name, else handle.
 * Cached for ten minutes; if Slack cannot be asked, falls back to the last known name, then to "An agent"
 * (never the raw user id, which means nothing to a customer).
 */
export function createAgentDirectory(
  client: WebClient,
  log: Logger,
  now: () => number = Date.now,
): AgentDirectory {
  const cache = new Map<string, { name: string; at: number }>();
  return {
    async displayName(userId) {
      const hit = cache.get(userId);
      if (hit && now() - hit.at < TTL_MS) return hit.name;
      try {
        const res = await client.users.info({ user: userId });
        const user = res.user;
        const name =
          user?.profile?.display_name?.trim() ||
          user?.profile?.real_name?.trim() ||
          user?.real_name?.trim() ||
          user?.name ||
          'An agent';
        cache.set(userId, { name, at: now() });
        return name;
      } catch (error) {
        log.warn({ err: error, userId }, 'users.info failed; using a fallback agent name');
        return hit?.name ?? 'An agent';
      }
    },
  };
}
