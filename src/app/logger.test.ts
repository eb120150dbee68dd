import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, prettyTransport, resolveInstalledPretty } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('redacts tokens, secrets, authorization headers and message bodies', () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: 'info', LOG_PRETTY: false, NODE_ENV: 'test' }, stream);
    log.child({ conversationId: 'c_1' }).info(
      {
        token: 'xoxb-123-secret',
        signingSecret: 'shh-signing',
        headers: { authorization: 'Bearer widget-token-abc' },
        slack: { token: 'xoxb-nested' },
        text: 'my card number is 4111',
        OPENAI_API_KEY: 'sk-live-key',
      },
      'hello',
    );
    const out = lines.join('');
    for (const secret of [
      'xoxb-123-secret',
      'shh-signing',
      'widget-token-abc',
      'xoxb-nested',
      '4111',
      'sk-live-key',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"conversationId":"c_1"');
    expect(out).toContain('[redacted]');
  });
});

describe('pretty logs', () => {
  const dev = { LOG_LEVEL: 'info', NODE_ENV: 'development' } as const;

  it('uses the resolved pino-pretty when asked for, and in development on a terminal', () => {
    const resolve = () => '/deps/pino-pretty/index.js';
    expect(prettyTransport({ ...dev, LOG_PRETTY: true }, false, resolve).transport?.target).toBe(
      '/deps/pino-pretty/index.js',
    );
    expect(prettyTransport(dev, true, resolve).transport?.target).toBe('/deps/pino-pretty/index.js');
    expect(prettyTransport(dev, false, resolve)).toEqual({ missing: false });
  });

  it('falls back to JSON when pino-pretty is not installed (production without dev dependencies)', () => {
    expect(prettyTransport({ ...dev, LOG_PRETTY: true }, true, () => undefined)).toEqual({ missing: true });
    const log = createLogger({ ...dev, LOG_LEVEL: 'silent', LOG_PRETTY: true }, undefined, {
      resolvePretty: () => undefined,
    });
    // A pino-pretty transport would write through a worker thread (ThreadStream) instead.
    expect(Reflect.get(log, pino.symbols.streamSym)?.constructor.name).toBe('SonicBoom');
  });

  it('never looks for pino-pretty in production unless LOG_PRETTY asks', () => {
    const resolve = vi.fn(() => '/deps/pino-pretty/index.js');
    const prod = { LOG_LEVEL: 'info', NODE_ENV: 'production' } as const;
    expect(prettyTransport(prod, true, resolve)).toEqual({ missing: false });
    expect(prettyTransport({ ...prod, LOG_PRETTY: false }, true, resolve)).toEqual({ missing: false });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('finds the installed pino-pretty as an absolute path', () => {
    expect(resolveInstalledPretty()).toMatch(/[\\/]node_modules[\\/]pino-pretty[\\/]/);
  });
});
