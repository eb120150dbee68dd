import { ErrorCode } from '@slack/web-api';
import { z } from 'zod';

export type SlackErrorVerdict =
  | { kind: 'rate_limited'; retryAfterSec: number }
  | { kind: 'permanent'; code: string }
  | { kind: 'transient'; code: string };

/** Errors that retrying cannot fix: they need a person to fix config, the channel or the token. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'account_inactive',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'missing_scope',
]);

/**
 * The slice of the WebClient's coded errors we read. Whatever else is thrown (a TypeError, a string)
 * does not parse and counts as a transient request failure; a field of another type reads as absent.
 */
const webApiError = z.object({
  code: z.string().optional().catch(undefined),
  retryAfter: z.number().optional().catch(undefined),
  data: z
    .object({ error: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

export function classifySlackError(error: unknown): SlackErrorVerdict {
  const e = webApiError.safeParse(error).data;
  if (e?.code === ErrorCode.RateLimitedError)
    return { kind: 'rate_limited', retryAfterSec: Math.max(1, e.retryAfter ?? 1) };
  if (e?.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    if (code === 'ratelimited') return { kind: 'rate_limited', retryAfterSec: 1 };
    return PERMANENT.has(code) ? { kind: 'permanent', code } : { kind: 'transient', code };
  }
  return { kind: 'transient', code: e?.code ?? 'request_failed' };
}
