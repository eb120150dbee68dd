import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AgentDirectory, AgentProfile } from '../ports.js';
import { avatarFromProfile } from './agent-avatar.js';

const TTL_MS = 10 * 60 * 1000;

/**
 * Names agents the way Slack shows them: display name, else real name, else handle; with their profile
 * picture when Slack has one from an origin in `avatarOrigins` (see agent-avatar.ts).
 * Cached for ten minutes; if Slack cannot be asked, falls back to the last known profile, then to "An agent"
 * without a picture (never the raw user id, which means nothing to a customer).
 */
export function createAgentDirectory(
  client: WebClient,
  log: Logger,
  opts: { avatarOrigins?: readonly string[]; now?: () => number } = {},
): AgentDirectory {
  const now = opts.now ?? Date.now;
  const origins = opts.avatarOrigins ?? [];
  const cache = new Map<string, { profile: AgentProfile; at: number }>();
  async function profile(userId: string): Promise<AgentProfile> {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < TTL_MS) return hit.profile;
    try {
      const res = await client.users.info({ user: userId });
      const user = res.user;
      const name =
        user?.profile?.display_name?.trim() ||
        user?.profile?.real_name?.trim() ||
        user?.real_name?.trim() ||
        user?.name ||
        'An agent';
      const avatarUrl = avatarFromProfile(user?.profile, origins);
      const found: AgentProfile = avatarUrl ? { name, avatarUrl } : { name };
      cache.set(userId, { profile: found, at: now() });
      return found;
    } catch (error) {
      log.warn({ err: error, userId }, 'users.info failed; using a fallback agent name');
      return hit?.profile ?? { name: 'An agent' };
    }
  }
  return {
    profile,
    displayName: async (userId) => (await profile(userId)).name,
  };
}
