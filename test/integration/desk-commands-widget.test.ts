import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/desk/command-parser.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
} from '../../src/sandbox/default-workspace.js';
import { deskHelpers, expectUsage } from './desk-helpers.js';
import { type Harness, startHarness } from './harness.js';

/**
 * `/baton widget` through the local Slack workspace, and what shop pages then get from the public
 * `GET /api/v1/widget-config`: who may change it, the audit and announcement of each change, bad
 * values refused with nothing changed, and the endpoint's keys, caching and CORS.
 */

const SHOP = 'https://shop.example';
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ ALLOWED_ORIGINS: SHOP });
  h.sandbox.setRateLimits(false);
});
afterEach(async () => {
  await h.stop();
});

const { baton, audit, announced } = deskHelpers(() => h);
const config = (origin?: string) =>
  fetch(`${h.baton.url}/api/v1/widget-config`, { headers: origin ? { origin } : {} });

describe('/baton widget', () => {
  it('lets an admin set every field; shop pages get the new values, and only those keys', async () => {
    const before = await (await config()).json();
    expect(before).toEqual({
      title: null,
      greeting: null,
      launcherLabel: null,
      color: '#1f5fbf',
      position: 'right',
    });
    const set = [
      ['color #0A7D55', 'color', '`#0a7d55`'],
      ['title Northwind help', 'title', '`Northwind help`'],
      ['greeting Hi! Ask me anything about orders.', 'greeting', '`Hi! Ask me anything about orders.`'],
      ['label Help', 'label', '`Help`'],
      ['position left', 'position', '`left`'],
    ] as const;
    for (const [args, name, shown] of set) {
      const answer = await baton(ALEX, `widget ${args}`);
      expect(answer.text).toContain(`Done. The widget’s ${name} is now ${shown}`);
      await announced(`:gear: <@${ALEX}> set the chat widget’s ${name}: ${shown}`);
    }
    const rows = await audit();
    expect(rows.map((r) => [r.actor, r.action])).toEqual(Array(5).fill([ALEX, 'set widget']));
    expect(JSON.parse(rows[0]!.old_value!)).toMatchObject({ color: '#1f5fbf' });
    expect(JSON.parse(rows[0]!.new_value!)).toMatchObject({ color: '#0a7d55' });

    const res = await config();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const body = await res.json();
    expect(body).toEqual({
      title: 'Northwind help',
      greeting: 'Hi! Ask me anything about orders.',
      launcherLabel: 'Help',
      color: '#0a7d55',
      position: 'left',
    });
    expect(Object.keys(body).sort()).toEqual(['color', 'greeting', 'launcherLabel', 'position', 'title']);

    // Anyone on the desk may look; the reset puts one field back.
    const shownToAgent = (await baton(DANA, 'widget')).text;
    expect(shownToAgent).toContain('• color: `#0a7d55`');
    expect(shownToAgent).toContain('• label: `Help`');
    expect((await baton(ALEX, 'widget reset color')).text).toContain('is back to its default: `#1f5fbf`');
    expect((await (await config()).json()).color).toBe('#1f5fbf');
  });

  it('refuses a non-admin, and bad values, with a clear reason and nothing changed', async () => {
    expect((await baton(DANA, 'widget color #0a7d55')).text).toContain(
      'Only Baton admins (BATON_ADMINS) and workspace admins or owners can change the chat widget.',
    );
    expectUsage(
      await baton(ALEX, 'widget color red'),
      'color must be a hex colour like #1f5fbf.',
      USAGE.widget!,
    );
    expectUsage(await baton(ALEX, 'widget color #0a7d55;x'), 'hex colour', USAGE.widget!);
    // Too light for the widget's white text: the measured ratio and a shade that passes.
    expectUsage(
      await baton(ALEX, 'widget color #ffeb3b'),
      /White text on #ffeb3b has a contrast of 1\.22:1; .* at least 4\.5:1 \(WCAG AA\).* Try #80761e/,
      USAGE.widget!,
    );
    expectUsage(await baton(ALEX, `widget title ${'t'.repeat(61)}`), 'title must be 1 to 60', USAGE.widget!);
    expectUsage(await baton(ALEX, 'widget position center'), 'left or right', USAGE.widget!);
    expectUsage(await baton(ALEX, 'widget reset'), 'which field to reset', USAGE.widget!);
    expect(await audit()).toEqual([]);
    expect((await (await config()).json()).color).toBe('#1f5fbf');
    expect((await baton(DANA, 'help')).text).toContain('/baton widget');
  });
});

describe('GET /api/v1/widget-config', () => {
  it('answers CORS for an allowed origin only, and is rate limited with history reads', async () => {
    const allowed = await config(SHOP);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await config('https://evil.example');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    await h.stop();
    h = await startHarness({ ALLOWED_ORIGINS: SHOP }, { readsPerAddressPerMinute: 2 });
    expect((await config()).status).toBe(200);
    expect((await config()).status).toBe(200);
    const limited = await config();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('cache-control')).not.toBe('public, max-age=60');
  });
});
