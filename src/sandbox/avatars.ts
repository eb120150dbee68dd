import type { ServerResponse } from 'node:http';
import type { SandboxUser } from './types.js';

const AVATAR_PATH = /^\/avatars\/([A-Z0-9]+)_(24|32|48|72|192|512)\.png$/;
const COLOURS = ['#3b6fb6', '#2f855a', '#b7791f', '#805ad5', '#c05621', '#2b6cb0'];

/**
 * The profile pictures users.info points at (`${url}/avatars/<id>_<size>.png`), so a chat page
 * shows an agent's picture against the local workspace the way it does against Slack's image hosts.
 * Each is drawn here as a small SVG (coloured disc, initials): no image files in the repository. The
 * `.png` name is Slack's URL shape; the content type says what it is, and browsers go by that.
 * Public like Slack's own avatar URLs: answered before the agent view's token gate.
 */
export function serveAvatar(
  path: string,
  users: ReadonlyMap<string, SandboxUser>,
  res: ServerResponse,
): boolean {
  const match = AVATAR_PATH.exec(path);
  if (!match) return false;
  const user = users.get(match[1] ?? '');
  if (!user) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such avatar\n');
    return true;
  }
  const size = Number(match[2]);
  res.writeHead(200, {
    'content-type': 'image/svg+xml',
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
    // Loaded by another origin's page (the chat), like a CDN image.
    'cross-origin-resource-policy': 'cross-origin',
    // An SVG opened on its own is a document: no script, no outside loads.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(avatarSvg(user, size));
  return true;
}

export function avatarSvg(user: SandboxUser, size: number): string {
  const initials = user.realName
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  const hash = [...user.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const colour = COLOURS[hash % COLOURS.length] ?? '#3b6fb6';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 72 72">` +
    `<rect width="72" height="72" fill="${colour}"/>` +
    `<rect y="36" width="72" height="36" fill="#000" fill-opacity="0.12"/>` +
    `<text x="36" y="47" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" ` +
    `font-size="30" font-weight="700" fill="#fff">${initials}</text></svg>`
  );
}
