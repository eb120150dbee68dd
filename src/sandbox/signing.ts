import { createHmac } from 'node:crypto';

/**
 * Slack's v0 request signature: hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed with the
 * signing secret. Exactly what Bolt's verify-request recomputes, so any byte change breaks it.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number,
): { signature: string; timestamp: string } {
  const timestamp = String(timestampSec);
  const hex = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { signature: `v0=${hex}`, timestamp };
}
