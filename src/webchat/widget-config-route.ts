import type { RequestHandler } from 'express';
import type { DeskSettings } from '../desk/desk-settings.js';
import { widgetConfigView } from '../desk/widget-settings.js';

/**
 * Browsers and proxies may keep the answer this long: every page view of every shop asks once, and an
 * admin's change showing up within a minute is soon enough. `public` because nothing in it is private.
 */
const MAX_AGE_SECONDS = 60;

/**
 * `GET /api/v1/widget-config`: the widget's look and text as an admin set them (docs/api.md). Public
 * and unauthenticated, so it answers exactly the five keys of the view, built field by field: a
 * setting added to the desk later cannot leak through it. Settings come from the shared cache.
 */
export function widgetConfigHandler(deps: { settings: () => Promise<DeskSettings> }): RequestHandler {
  return async (_req, res) => {
    const { widget } = await deps.settings();
    res.setHeader('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
    res.json(widgetConfigView(widget));
  };
}
