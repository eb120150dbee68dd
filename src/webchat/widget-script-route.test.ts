import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { configExpression, SERVED_CONFIG_MARKER, widgetScriptHandler } from './widget-script-route.js';

const settings = async () => {
  throw new Error('not read at construction');
};
const log = { warn: () => {} };

describe('the config written into widget.js', () => {
  it('is an expression that evaluates back to the value, with no `<` or line separators in it', () => {
    const value = { title: 'a</script>\u2028b\u2029c "d" \\ e', color: '#0a7d55', n: null };
    const text = configExpression(value);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(vm.runInNewContext(`(${text})`)).toEqual(value);
  });

  it('goes out with its own defaults, not to be kept, when the settings cannot be read', async () => {
    const warned: unknown[] = [];
    const handler = widgetScriptHandler(
      { settings, log: { warn: (...args: unknown[]) => void warned.push(args) } },
      `const served = ${SERVED_CONFIG_MARKER};`,
    );
    const server = express().get('/widget.js', handler).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/widget.js`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('const served = null;');
      expect(res.headers.get('cache-control')).toBe('no-store');
    } finally {
      server.close();
    }
    expect(warned).toHaveLength(1);
  });

  it('needs its marker in the script exactly once', () => {
    expect(() => widgetScriptHandler({ settings, log }, 'const served = null;')).toThrow(/exactly once/);
    expect(() =>
      widgetScriptHandler({ settings, log }, `${SERVED_CONFIG_MARKER};${SERVED_CONFIG_MARKER}`),
    ).toThrow(/exactly once/);
    expect(() =>
      widgetScriptHandler({ settings, log }, `const served = ${SERVED_CONFIG_MARKER};`),
    ).not.toThrow();
  });
});
