import type { SandboxChannel, SandboxUser } from './types.js';

/**
 * The fixed identities of the local workspace. Exported so the app's composition root and the
 * tests can refer to them without asking the sandbox (e.g. to pass botId/botUserId to Bolt).
 */
export const SANDBOX_TEAM_ID = 'T0BATON01';
export const SANDBOX_TEAM_DOMAIN = 'baton-local';
export const SANDBOX_TEAM_NAME = 'Baton Local';
export const SANDBOX_APP_ID = 'A0BATON01';
export const SANDBOX_BOT_USER_ID = 'U0BATONBOT';
export const SANDBOX_BOT_ID = 'B0BATONBOT';
export const SANDBOX_BOT_NAME = 'baton';
export const SANDBOX_HANDOFF_CHANNEL_ID = 'C0HANDOFFS';
export const SANDBOX_GENERAL_CHANNEL_ID = 'C0GENERAL';
/** A channel the bot was never invited to: posting there fails with not_in_channel, as in Slack. */
export const SANDBOX_RANDOM_CHANNEL_ID = 'C0RANDOM';
export const SANDBOX_AGENT_DANA = 'U0AGENTDANA';
export const SANDBOX_AGENT_SAM = 'U0AGENTSAM';
export const SANDBOX_ADMIN_ALEX = 'U0ADMINALEX';
/** A colleague outside the support team: in #general, not in the handoff channel. */
export const SANDBOX_MEMBER_MORGAN = 'U0MEMBERMORGAN';

const TZ = 'America/New_York';

function human(id: string, name: string, realName: string, displayName: string, admin = false): SandboxUser {
  return {
    id,
    name,
    realName,
    displayName,
    email: `${name}@example.com`,
    isAdmin: admin,
    isOwner: admin,
    isBot: false,
    presence: 'active',
    tz: TZ,
  };
}

export function defaultUsers(): SandboxUser[] {
  return [
    human(SANDBOX_AGENT_DANA, 'dana', 'Dana Reyes', 'Dana'),
    human(SANDBOX_AGENT_SAM, 'sam', 'Sam Patel', 'Sam'),
    human(SANDBOX_ADMIN_ALEX, 'alex', 'Alex Kim', 'Alex', true),
    human(SANDBOX_MEMBER_MORGAN, 'morgan', 'Morgan Lee', 'Morgan'),
    {
      id: SANDBOX_BOT_USER_ID,
      name: SANDBOX_BOT_NAME,
      realName: 'Baton',
      displayName: 'Baton',
      email: '',
      isAdmin: false,
      isOwner: false,
      isBot: true,
      presence: 'active',
      tz: TZ,
    },
  ];
}

export function defaultChannels(): SandboxChannel[] {
  const everyone = [SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM, SANDBOX_ADMIN_ALEX, SANDBOX_BOT_USER_ID];
  return [
    {
      id: SANDBOX_HANDOFF_CHANNEL_ID,
      name: 'support-handoffs',
      isPrivate: false,
      isArchived: false,
      memberIds: [...everyone],
    },
    {
      id: SANDBOX_GENERAL_CHANNEL_ID,
      name: 'general',
      isPrivate: false,
      isArchived: false,
      memberIds: [...everyone, SANDBOX_MEMBER_MORGAN],
    },
    {
      id: SANDBOX_RANDOM_CHANNEL_ID,
      name: 'random',
      isPrivate: false,
      isArchived: false,
      memberIds: [SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM, SANDBOX_ADMIN_ALEX],
    },
  ];
}

/** Defaults merged with the caller's extras; an extra with a default's id replaces it. */
export function mergeById<T extends { id: string }>(defaults: T[], extras: T[] | undefined): T[] {
  const byId = new Map(defaults.map((d) => [d.id, d]));
  for (const extra of extras ?? []) byId.set(extra.id, extra);
  return [...byId.values()];
}
