import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http-io.js';

/** The page's static files. Only these names are served: no path from the URL reaches the filesystem. */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'state.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'people.js': 'text/javascript; charset=utf-8',
  'routing.js': 'text/javascript; charset=utf-8',
  'live-updates.js': 'text/javascript; charset=utf-8',
  'sidebar.js': 'text/javascript; charset=utf-8',
  'user-switcher.js': 'text/javascript; charset=utf-8',
  'channel-view.js': 'text/javascript; charset=utf-8',
  'thread-pane.js': 'text/javascript; charset=utf-8',
  'message-list.js': 'text/javascript; charset=utf-8',
  'message-row.js': 'text/javascript; charset=utf-8',
  'message-actions.js': 'text/javascript; charset=utf-8',
  'reactions.js': 'text/javascript; charset=utf-8',
  'home.js': 'text/javascript; charset=utf-8',
  'modals.js': 'text/javascript; charset=utf-8',
  'composer.js': 'text/javascript; charset=utf-8',
  'mrkdwn.js': 'text/javascript; charset=utf-8',
  'blocks.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const ASSET_DIR = new URL('./assets/', import.meta.url);

export function isAsset(name: string): boolean {
  return Object.hasOwn(ASSETS, name);
}

/**
 * Sends one asset. Files are read on every request (they are small and this is a
 * local dev tool, so edits show up on reload); HEAD gets the headers only.
 */
export async function sendAsset(res: ServerResponse, name: string, headOnly: boolean): Promise<void> {
  const type = ASSETS[name];
  if (!type) throw new Error(`not an asset: ${name}`);
  const body = await readFile(new URL(name, ASSET_DIR));
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  res.end(headOnly ? undefined : body);
}
