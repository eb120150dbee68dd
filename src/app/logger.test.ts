import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

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
