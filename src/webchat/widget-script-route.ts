import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { DeskSettings } from '../desk/desk-settings.js';
import { widgetConfigView } from '../desk/widget-settings.js';

/**
 * Where widget.js takes the admin's look. Valid JavaScript as it stands (`null`: the widget's own
 * defaults), so the file also works served as is by anything else.
 */
export const SERVED_CONFIG_MARKER = '/* @baton:served-config */ null';

/** Shop pages keep the script this long: an admin's change reaches them within a minute, as before. */
const MAX_AGE_SECONDS = 60;

/**
 * The config as a JavaScript expression. JSON is one (ES2019 and later); `<` is escaped all the same,
 * so the text stays inert if anyone ever inlines the script in HTML.
 */
export function configExpression(config: unknown): string {
  return JSON.stringify(config)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * `GET /widget.js` with the admin's look (`/baton widget`: colour, side, title, label) written into it
 * as it is sent. The launcher is then drawn right the first time: no second request from the shop's
 * page (which its CSP would have to allow), no launcher held back or jumping when the answer comes.
 * Express answers a repeat visit with 304 (ETag), so the minute's cache costs a shop's visitors little.
 */
export function widgetScriptHandler(
  deps: { settings: () => Promise<DeskSettings>; log: Pick<Logger, 'warn'> },
  source: string,
): RequestHandler {
  const at = source.indexOf(SERVED_CONFIG_MARKER);
  if (at < 0 || source.indexOf(SERVED_CONFIG_MARKER, at + 1) >= 0)
    throw new Error(`widget.js must hold ${SERVED_CONFIG_MARKER} exactly once`);
  const before = source.slice(0, at);
  const after = source.slice(at + SERVED_CONFIG_MARKER.length);
  return async (_req, res) => {
    // Settings that cannot be read (a locked or failing database) must not take the launcher off every
    // shop page: the script goes out with its own defaults, not kept, and the next page view tries again.
    const widget = await deps.settings().then(
      (settings) => settings.widget,
      (err: unknown) => {
        deps.log.warn({ err }, 'widget settings unreadable: widget.js sent with its defaults');
        return undefined;
      },
    );
    res.type('text/javascript');
    res.setHeader('cache-control', widget ? `public, max-age=${MAX_AGE_SECONDS}` : 'no-store');
    // A script for other sites' pages (their CSP allows our origin): it must not be refused as a
    // cross-site resource. Every other file of the page stays same-site.
    res.setHeader('cross-origin-resource-policy', 'cross-origin');
    res.send(`${before}${widget ? configExpression(widgetConfigView(widget)) : 'null'}${after}`);
  };
}
