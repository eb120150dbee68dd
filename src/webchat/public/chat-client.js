// HTTP + live-stream client for the Baton web-chat API (/api/v1). No DOM.
import { createSseParser } from './stream-parser.js';

export const MAX_MESSAGE_LENGTH = 4000;

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 = network failure)
   * @param {string} code
   * @param {string} message
   * @param {number | undefined} retryAfter seconds, from Retry-After
   */
  constructor(status, code, message, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
  /** The conversation or token is gone: start over. */
  get sessionInvalid() {
    return this.status === 401 || this.status === 404;
  }
  get network() {
    return this.status === 0;
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === '') return undefined;
  const trimmed = String(value).trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function toApiError(res) {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = await res.json();
    if (body?.error) {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') message = body.error.message;
    }
  } catch {
    // not JSON: keep the defaults
  }
  return new ApiError(res.status, code, message, parseRetryAfter(res.headers.get('Retry-After')));
}

/**
 * Exponential backoff with "equal jitter": half fixed, half random, capped.
 * attempt 1 → 0.5–1 s, 2 → 1–2 s, 3 → 2–4 s … up to maxMs.
 */
export function backoffDelay(attempt, { baseMs = 1000, maxMs = 30000, random = Math.random } = {}) {
  const n = Math.max(1, attempt);
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 20));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * @param {{ baseUrl?: string, fetch?: typeof fetch }} [options]
 */
export function createApiClient({
  baseUrl = '/api/v1',
  fetch: fetchImpl = globalThis.fetch.bind(globalThis),
} = {}) {
  async function request(method, path, { token, body, signal } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      throw new ApiError(0, 'network', 'Network error');
    }
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return {};
    try {
      return await res.json();
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      // A cut-off body: treat like a network failure so the caller can retry.
      throw new ApiError(0, 'network', 'Incomplete response');
    }
  }

  const conv = (id) => `/conversations/${encodeURIComponent(id)}`;

  return {
    createConversation(body = {}) {
      return request('POST', '/conversations', { body });
    },
    sendMessage(id, token, text, clientMessageId) {
      return request('POST', `${conv(id)}/messages`, { token, body: { text, clientMessageId } });
    },
    getMessages(id, token, after = 0, signal) {
      return request('GET', `${conv(id)}/messages?after=${encodeURIComponent(after)}`, { token, signal });
    },
    /** Which agent replies this page received and showed: `{ delivered?: seq, seen?: seq }`. */
    sendReceipts(id, token, body) {
      return request('POST', `${conv(id)}/receipts`, { token, body });
    },
    handoff(id, token) {
      return request('POST', `${conv(id)}/handoff`, { token, body: {} });
    },
    submitCsat(id, token, score, comment) {
      const body = { score };
      if (comment) body.comment = comment;
      return request('POST', `${conv(id)}/csat`, { token, body });
    },
    submitEmail(id, token, email) {
      return request('POST', `${conv(id)}/email`, { token, body: { email } });
    },
    /** "Email me this conversation"; the same `requestId` on a retry queues nothing twice. */
    requestTranscript(id, token, email, requestId) {
      return request('POST', `${conv(id)}/transcript`, { token, body: { email, requestId } });
    },

    /**
     * Open the SSE stream and read it until it ends. Resolves when the server
     * closes the stream, rejects with ApiError on an HTTP error / network failure
     * and with AbortError when `signal` aborts.
     * @param {{ onEvent: (e: {event: string, data: string, id?: string}) => void,
     *   onOpen?: () => void, onActivity?: () => void, signal?: AbortSignal }} handlers
     */
    async readStream(id, token, after, { onEvent, onOpen, onActivity, signal }) {
      let res;
      try {
        res = await fetchImpl(`${baseUrl}${conv(id)}/stream?after=${encodeURIComponent(after)}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
      } catch (err) {
        if (err?.name === 'AbortError') throw err;
        throw new ApiError(0, 'network', 'Network error');
      }
      if (!res.ok) throw await toApiError(res);
      if (!res.body) throw new ApiError(0, 'network', 'Streaming not supported');
      onOpen?.();
      const parser = createSseParser({ onEvent, onComment: () => {} });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      // Make sure an abort (stop, idle watchdog) also ends a pending read().
      const onAbort = () => {
        reader.cancel().catch(() => {});
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          onActivity?.();
          parser.push(decoder.decode(value, { stream: true }));
        }
        parser.push(decoder.decode());
      } catch (err) {
        if (err?.name === 'AbortError' || signal?.aborted) throw err;
        throw new ApiError(0, 'network', 'Stream interrupted');
      } finally {
        signal?.removeEventListener('abort', onAbort);
        parser.end();
      }
    },
  };
}

/**
 * Keeps a live stream open: reconnects with backoff + jitter, catching up with
 * GET messages?after=<highest seq> before every reconnect, and stops for good
 * on 401/404 (session gone) or when `stop()` is called.
 *
 * @param {{
 *   api: ReturnType<typeof createApiClient>,
 *   conversationId: string, token: string,
 *   getAfter: () => number,
 *   onMessage: (m: any) => void,
 *   onStatus: (s: any) => void,
 *   onSnapshot: (r: { conversation?: any, messages?: any[] }) => void,
 *   onFatal?: (err: ApiError) => void,
 *   onStateChange?: (state: 'connecting' | 'open' | 'reconnecting' | 'stopped') => void,
 *   shouldReconnect?: () => boolean,
 *   idleTimeoutMs?: number,
 *   random?: () => number,
 *   catchUpFirst?: boolean,
 * }} opts
 */
export function createLiveConnection(opts) {
  const { api, conversationId, token, idleTimeoutMs = 50000, random = Math.random } = opts;
  let stopped = false;
  let controller = null;
  let sleepTimer = null;
  let wake = null;

  function sleep(ms) {
    return new Promise((resolve) => {
      wake = resolve;
      sleepTimer = setTimeout(resolve, ms);
    });
  }

  function handleFrame(frame) {
    let data;
    try {
      data = JSON.parse(frame.data);
    } catch {
      return;
    }
    if (frame.event === 'message') opts.onMessage(data);
    else if (frame.event === 'status') opts.onStatus(data);
  }

  async function run() {
    let attempt = 0;
    let first = true;
    while (!stopped) {
      controller = new AbortController();
      const signal = controller.signal;
      let openedAt = 0;
      let idleTimer = null;
      const bump = () => {
        clearTimeout(idleTimer);
        // No bytes (not even ": ping") for too long: the connection is dead.
        idleTimer = setTimeout(() => controller?.abort(), idleTimeoutMs);
      };
      try {
        opts.onStateChange?.(first ? 'connecting' : 'reconnecting');
        if (!first || opts.catchUpFirst) {
          const snap = await api.getMessages(conversationId, token, opts.getAfter(), signal);
          if (stopped) break;
          opts.onSnapshot(snap);
        }
        await api.readStream(conversationId, token, opts.getAfter(), {
          signal,
          onEvent: handleFrame,
          onActivity: bump,
          onOpen: () => {
            openedAt = Date.now();
            bump();
            opts.onStateChange?.('open');
          },
        });
      } catch (err) {
        if (stopped) break;
        if (err instanceof ApiError && err.sessionInvalid) {
          stopped = true;
          opts.onStateChange?.('stopped');
          opts.onFatal?.(err);
          break;
        }
      } finally {
        clearTimeout(idleTimer);
      }
      first = false;
      if (stopped) break;
      if (opts.shouldReconnect && !opts.shouldReconnect()) {
        stopped = true;
        break;
      }
      // A stream that stayed up for a while was healthy: start backoff afresh.
      if (openedAt && Date.now() - openedAt > 15000) attempt = 0;
      attempt++;
      opts.onStateChange?.('reconnecting');
      await sleep(backoffDelay(attempt, { random, baseMs: 1000, maxMs: 30000 }));
    }
    opts.onStateChange?.('stopped');
  }

  const done = run();
  return {
    done,
    stop() {
      stopped = true;
      controller?.abort();
      clearTimeout(sleepTimer);
      wake?.();
    },
    /** Skip the backoff wait (e.g. the browser came back online). */
    reconnectNow() {
      clearTimeout(sleepTimer);
      wake?.();
    },
    get stopped() {
      return stopped;
    },
  };
}
