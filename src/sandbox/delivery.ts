import { signSlackRequest } from './signing.js';
import type { DeliveryResult } from './types.js';
import type { DeliveryRecord, WorkspaceStore } from './workspace-store.js';

/** Exactly this value: Bolt parses a body as a form only on an exact match (no charset). */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** Slack gives up on a delivery after 3 seconds. */
export const DELIVERY_TIMEOUT_MS = 3000;

export interface DeliveryDeps {
  signingSecret: string;
  appRequestUrl: () => string | undefined;
  now: () => number;
  store: Pick<WorkspaceStore, 'deliveries' | 'emit'>;
  /**
   * Waits before Slack's retries of a failed event delivery (no 2xx within 3 s, an HTTP error or no
   * connection): Slack retries at once, after 1 minute and after 5 minutes. Empty: no retries.
   */
  eventRetryDelaysMs: readonly number[];
  /** Optional alternate transport (Socket Mode); returns undefined when not connected. */
  socket?: (kind: DeliveryRecord['kind'], payload: unknown) => Promise<DeliveryResult> | undefined;
}

export interface Delivery {
  /** Signed POST of an Events API body (JSON), optionally marked as a retry. */
  event(
    body: Record<string, unknown>,
    retry?: { retryNum?: number; retryReason?: string },
  ): Promise<DeliveryResult>;
  /** block_actions / view_submission: form with one `payload` field. */
  interaction(payload: Record<string, unknown>): Promise<DeliveryResult>;
  /** Slash command: the fields themselves, form-encoded. */
  command(fields: Record<string, string>): Promise<DeliveryResult>;
  /** Cancels scheduled event retries (on close). */
  cancelRetries(): void;
}

const retryReason = (result: DeliveryResult) =>
  result.error ?? (result.status >= 300 ? 'http_error' : 'unknown_error');

/** A delivery Slack would send again: no 2xx in time, unless the app said X-Slack-No-Retry: 1. */
function wantsRetry(result: DeliveryResult): boolean {
  // With no request URL configured Slack has nowhere to send, so nothing to retry either.
  if (result.error === 'no_app_request_url' || result.headers['x-slack-no-retry'] === '1') return false;
  return result.status < 200 || result.status >= 300;
}

export function createDelivery(deps: DeliveryDeps): Delivery {
  async function post(
    kind: DeliveryRecord['kind'],
    rawBody: string,
    contentType: string,
    extraHeaders: Record<string, string>,
  ): Promise<DeliveryResult> {
    const url = deps.appRequestUrl();
    const record = (result: DeliveryResult) => {
      deps.store.deliveries.push({ kind, contentType, body: rawBody, result });
      return result;
    };
    if (!url) return record({ status: 0, body: '', headers: {}, error: 'no_app_request_url' });
    const { signature, timestamp } = signSlackRequest(
      deps.signingSecret,
      rawBody,
      Math.floor(deps.now() / 1000),
    );
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: rawBody,
        headers: {
          'content-type': contentType,
          'x-slack-signature': signature,
          'x-slack-request-timestamp': timestamp,
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...extraHeaders,
        },
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        redirect: 'manual',
      });
      const body = await res.text();
      return record({ status: res.status, body, headers: headersOf(res.headers) });
    } catch (err) {
      const name = (err as Error).name;
      const error = name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_failed';
      return record({ status: 0, body: '', headers: {}, error });
    }
  }

  const timers = new Set<NodeJS.Timeout>();

  function sendEvent(body: Record<string, unknown>, retry?: { retryNum?: number; retryReason?: string }) {
    const viaSocket = deps.socket?.('event', body);
    if (viaSocket) return viaSocket;
    const headers: Record<string, string> = {};
    if (retry?.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(retry.retryNum);
      headers['x-slack-retry-reason'] = retry.retryReason ?? 'http_timeout';
    }
    return post('event', JSON.stringify(body), 'application/json', headers);
  }

  /** Slack's own redelivery of a failed event, with the retry number and reason it sends. */
  function scheduleRetry(body: Record<string, unknown>, retryNum: number, reason: string) {
    const delay = deps.eventRetryDelaysMs[retryNum - 1];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void Promise.resolve(sendEvent(body, { retryNum, retryReason: reason })).then((result) => {
        if (wantsRetry(result)) scheduleRetry(body, retryNum + 1, retryReason(result));
      });
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  return {
    async event(body, retry) {
      const result = await sendEvent(body, retry);
      // A test that sends a retry itself drives the sequence; Slack's own retries start from a first try.
      if (retry?.retryNum === undefined && wantsRetry(result)) scheduleRetry(body, 1, retryReason(result));
      return result;
    },
    cancelRetries() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    interaction(payload) {
      const viaSocket = deps.socket?.('interaction', payload);
      if (viaSocket) return viaSocket;
      return post(
        'interaction',
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        FORM_CONTENT_TYPE,
        {},
      );
    },
    command(fields) {
      const viaSocket = deps.socket?.('command', fields);
      if (viaSocket) return viaSocket;
      return post('command', new URLSearchParams(fields).toString(), FORM_CONTENT_TYPE, {});
    },
  };
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}
