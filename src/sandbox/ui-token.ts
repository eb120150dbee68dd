import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './http-util.js';

/** The cookie that carries the agent view's access once `?token=` was presented. */
export const UI_TOKEN_COOKIE = 'local_slack_ui';

const digest = (value: string) => createHash('sha256').update(value).digest();
/** Constant-time comparison of strings of any length. */
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Gate for the agent view when the workspace is reachable beyond this machine: the browser
 * presents the token once as `?token=`, gets an HttpOnly SameSite=Strict cookie, and every later
 * request (the page's own fetches) must carry it. The cookie holds a hash of the token, not the
 * token, because cookies ignore ports: Baton's own server on another port receives it too.
 * Returns true when the request may go on; otherwise it has answered 401.
 */
export function createUiTokenGate(token: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cookieValue = digest(`local-slack-ui:${token}`).toString('hex');

  return (req, res) => {
    const query = new URL(req.url ?? '/', 'http://sandbox.local').searchParams.get('token');
    if (query !== null && same(query, token)) {
      // The page is served on this very request (no redirect): a Strict cookie set on a redirect
      // that followed a link from another site would not be sent on the next hop. Session cookie.
      res.setHeader('set-cookie', `${UI_TOKEN_COOKIE}=${cookieValue}; Path=/; HttpOnly; SameSite=Strict`);
      return true;
    }
    const cookie = cookieOf(req, UI_TOKEN_COOKIE);
    if (cookie !== undefined && same(cookie, cookieValue)) return true;
    sendText(
      res,
      401,
      'This local Slack workspace needs its access token: open the agent view as /?token=<token>.',
    );
    return false;
  };
}
