import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_ALEX as ALEX } from '../../src/sandbox/default-workspace.js';
import { deskHelpers } from './desk-helpers.js';
import { type Harness, startHarness } from './harness.js';

/**
 * `GET /widget.js` carries the admin's look (`/baton widget`) in it, so a shop page draws the launcher
 * right the first time with one request. What is written in must stay valid JavaScript and inert
 * whatever an admin typed, and the minute's cache must revalidate cheaply.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.sandbox.setRateLimits(false);
});
afterEach(async () => {
  await h.stop();
});

const { baton } = deskHelpers(() => h);
const script = () => fetch(`${h.baton.url}/widget.js`);

/** The config the script would use: compiled as the browser would, then its `served` value read back. */
function servedConfig(source: string): unknown {
  new vm.Script(source); // throws on a syntax error
  const line = /const served = (.*);$/m.exec(source);
  if (!line) throw new Error('widget.js has no served config line');
  return vm.runInNewContext(`(${line[1]})`);
}

describe('GET /widget.js', () => {
  it('carries the defaults, then each value an admin sets, as a script for other sites', async () => {
    const first = await script();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(first.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(servedConfig(await first.text())).toEqual({
      title: null,
      greeting: null,
      launcherLabel: null,
      color: '#1f5fbf',
      position: 'right',
    });

    await baton(ALEX, 'widget color #0a7d55');
    await baton(ALEX, 'widget position left');
    await baton(ALEX, 'widget label Help');
    expect(servedConfig(await (await script()).text())).toMatchObject({
      color: '#0a7d55',
      position: 'left',
      launcherLabel: 'Help',
    });
  });

  it('stays valid and inert whatever the admin typed, and answers a repeat visit with 304', async () => {
    const title = 'Help </script><script>alert(1)</script> "quoted" \\ end';
    await baton(ALEX, `widget title ${title}`);
    const res = await script();
    const source = await res.text();
    const line = /const served = .*$/m.exec(source)![0];
    expect(line).not.toContain('</script>');
    expect(servedConfig(source)).toMatchObject({ title });

    // As a browser revalidates (fetch alone would add `cache-control: no-cache`, which forbids a 304).
    const revalidate = { 'if-none-match': res.headers.get('etag') ?? '', 'cache-control': 'max-age=0' };
    const again = await fetch(`${h.baton.url}/widget.js`, { headers: revalidate });
    expect(again.status).toBe(304);
    await baton(ALEX, 'widget title Northwind help');
    const changed = await fetch(`${h.baton.url}/widget.js`, { headers: revalidate });
    expect(changed.status).toBe(200);
  });
});
