import { ErrorCode } from '@slack/web-api';
import { z } from 'zod';

export type SlackErrorVerdict =
  | { kind: 'rate_limited'; retryAfterSec: number }
  | { kind: 'permanent'; code: string }
  | { kind: 'transient'; code: string };

/**
 * Slack's own failures, published as worth retrying; `unknown_error` stands for an unreadable answer.
 * Every other code needs a person (channel gone, bot not invited, token revoked, payload refused).
 */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * The slice of the WebClient's coded errors we read. Whatever else is thrown (a TypeError, a string)
 * does not parse and counts as a transient request failure; a field of another type reads as absent.
 */
export const webApiError = z.object({
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
    // Slack answered with a reason: only its own server-side failures are worth another try. A code this
    // list does not know (msg_blocks_too_long, restricted_action, ...) is parked, not retried forever.
    if (code === 'unknown_error' || TRANSIENT.has(code)) return { kind: 'transient', code };
    return { kind: 'permanent', code };
  }
  return { kind: 'transient', code: e?.code ?? 'request_failed' };
}
