import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, usesLocalSlack } from './config.js';

describe('loadConfig', () => {
  it('applies defaults and runs against the local workspace without tokens', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_PATH).toBe('./data/baton.db');
    expect(config.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(usesLocalSlack(config)).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad key and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-real', SLACK_API_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/SLACK_API_URL:/);
  });

  it('names what a real Slack setup is missing', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-real' })).toThrow(
      /SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN[\s\S]*SLACK_HANDOFF_CHANNEL: required/,
    );
  });

  it('refuses placeholder secrets and the wrong kind of token', () => {
    expect(() =>
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxp-user',
        SLACK_SIGNING_SECRET: 'changeme',
        SLACK_HANDOFF_CHANNEL: 'C1',
      }),
    ).toThrow(/SLACK_BOT_TOKEN: expected a real bot token[\s\S]*SLACK_SIGNING_SECRET/);
    expect(() =>
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'abc123def',
        SLACK_HANDOFF_CHANNEL: 'C1',
        SLACK_APP_TOKEN: 'xoxb-2',
      }),
    ).toThrow(/SLACK_APP_TOKEN/);
  });

  it('requires real Slack in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SLACK_BOT_TOKEN: required in production/);
  });

  it('accepts a complete real-Slack setup', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'a1b2c3d4e5',
      SLACK_HANDOFF_CHANNEL: 'C0123',
    });
    expect(usesLocalSlack(config)).toBe(false);
  });
});
