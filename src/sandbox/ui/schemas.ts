import { z } from 'zod';
import type { DeliveryResult, SlackSandbox } from '../types.js';

/**
 * The part of the sandbox the agent view uses; tests supply a fake of just this.
 * `clickViewButton` (a button inside App Home or a modal) is not in SlackSandbox yet;
 * when the core provides it, view buttons work, otherwise they render disabled.
 */
export type UiSandbox = {
  clickViewButton?: (userId: string, viewId: string, actionId: string) => Promise<DeliveryResult>;
  /** Validation errors the app returned for a modal (response_action: errors), when the core keeps them. */
  viewErrors?: (viewId: string) => Record<string, string> | undefined;
} & Pick<
  SlackSandbox,
  | 'teamId'
  | 'botUserId'
  | 'botId'
  | 'appId'
  | 'handoffChannelId'
  | 'users'
  | 'user'
  | 'setUserPresence'
  | 'channels'
  | 'readChannel'
  | 'readThread'
  | 'ephemeralsFor'
  | 'reloadClient'
  | 'homeViewFor'
  | 'openModalsFor'
  | 'onChange'
  | 'postMessageAs'
  | 'editMessageAs'
  | 'deleteMessageAs'
  | 'clickButton'
  | 'runSlashCommand'
  | 'openAppHome'
  | 'submitView'
>;

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'expected a Slack ID');
const ts = z
  .string()
  .trim()
  .regex(/^\d{1,12}\.\d{1,8}$/, 'expected a Slack timestamp like 1712345678.000100');
const text = z.string().max(40_000);

export const stateQuery = z.object({ user: id, channel: id });
export const threadQuery = z.object({ user: id, channel: id, ts });
export const userQuery = z.object({ user: id });
export const eventsQuery = z.object({
  since: z.coerce.number().int().min(0).optional(),
  wait: z.coerce.number().int().min(0).max(25_000).optional(),
});

export const postBody = z.object({
  user: id,
  channel: id,
  text: text.refine((t) => t.trim().length > 0, 'message text is empty'),
  threadTs: ts.optional(),
});

export const editBody = z.object({
  user: id,
  channel: id,
  ts,
  text: text.refine((t) => t.trim().length > 0, 'message text is empty'),
});

export const deleteBody = z.object({ user: id, channel: id, ts });

export const clickBody = z.object({
  user: id,
  channel: id,
  messageTs: ts,
  actionId: z.string().min(1).max(255),
  value: z.string().max(2000).optional(),
  ephemeral: z.boolean().optional(),
});

export const commandBody = z.object({
  user: id,
  channel: id,
  /** The whole composer line, e.g. "/baton claim". */
  text: z
    .string()
    .max(4000)
    .regex(/^\/[a-z0-9_-]{1,32}(\s|$)/i, 'expected a slash command like /baton'),
  threadTs: ts.optional(),
});

export const clickViewBody = z.object({
  user: id,
  viewId: z.string().min(1).max(255),
  actionId: z.string().min(1).max(255),
});

export const presenceBody = z.object({ user: id, presence: z.enum(['active', 'away']) });

export const submitViewBody = z.object({
  user: id,
  viewId: z.string().min(1).max(255),
  /** Slack's view.state.values: { block_id: { action_id: { type, value, ... } } }. */
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.record(z.string(), z.unknown()))),
});

/** Splits "/baton claim now" into the command and the text after it. */
export function splitCommand(line: string): { command: string; text: string } {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { command: trimmed.toLowerCase(), text: '' };
  return { command: trimmed.slice(0, space).toLowerCase(), text: trimmed.slice(space + 1).trim() };
}
