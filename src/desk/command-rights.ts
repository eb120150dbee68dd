import type { SlackWorkspace } from '../ports.js';
import type { BatonCommand } from './command-parser.js';

/** Commands that change how the whole desk works; anyone may read settings or set their own presence. */
const ADMIN_ONLY = new Set<BatonCommand['kind']>([
  'trigger_toggle',
  'trigger_confidence',
  'trigger_sentiment',
  'trigger_turns',
  'trigger_keywords',
  'routing',
  'skills',
  'capacity',
  'route',
  'message',
]);

/**
 * Whether only an admin may run this command. Pure. `hours` and `widget` alone show the business
 * hours and the widget's look to anyone (the look is public anyway); with an argument they change
 * them. Resolve and transfer are open to the agent holding the conversation; whether an admin may
 * act on someone else's is decided with the handoff.
 */
export function requiresAdmin(command: BatonCommand): boolean {
  if (command.kind === 'hours') return command.hours !== undefined;
  if (command.kind === 'widget' || command.kind === 'redact') return command.change !== undefined;
  return ADMIN_ONLY.has(command.kind);
}

/**
 * Whether `userId` is on the support team for `channel`: a member of it, or an admin. Who may see what
 * customers wrote there (live chats in App Home, masked details). A workspace lookup that fails counts
 * as "no": the answer only ever withholds.
 */
export async function isSupportTeam(
  workspace: Pick<SlackWorkspace, 'channelMembers' | 'isWorkspaceAdmin'>,
  channel: string,
  userId: string,
): Promise<boolean> {
  const members = await workspace.channelMembers(channel).catch((): string[] => []);
  return members.includes(userId) || (await workspace.isWorkspaceAdmin(userId).catch(() => false));
}

/** A refusal names what the caller lacks, for the adapter to word. */
export type Authorization = { allowed: true } | { allowed: false; reason: 'admin_only' };

/**
 * Whether `userId` may run `command`. Admins are BATON_ADMINS and workspace admins or owners
 * (the workspace port knows both); it is only asked when the command needs an admin.
 */
export async function authorize(
  deps: { workspace: Pick<SlackWorkspace, 'isWorkspaceAdmin'> },
  userId: string,
  command: BatonCommand,
): Promise<Authorization> {
  if (!requiresAdmin(command)) return { allowed: true };
  return (await deps.workspace.isWorkspaceAdmin(userId))
    ? { allowed: true }
    : { allowed: false, reason: 'admin_only' };
}
