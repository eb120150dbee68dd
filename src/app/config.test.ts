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

  it("runs the assistant's threads at nice 10 unless told otherwise, within 0-19", () => {
    expect(loadConfig({}).ASSISTANT_NICE).toBe(10);
    expect(loadConfig({ ASSISTANT_NICE: '0' }).ASSISTANT_NICE).toBe(0);
    expect(() => loadConfig({ ASSISTANT_NICE: '20' })).toThrow(/ASSISTANT_NICE/);
    expect(() => loadConfig({ ASSISTANT_NICE: '-1' })).toThrow(/ASSISTANT_NICE/);
  });

  it('runs periodic jobs every 15 s unless told otherwise, within sane bounds', () => {
    expect(loadConfig({}).JOBS_INTERVAL_SECONDS).toBe(15);
    expect(loadConfig({ JOBS_INTERVAL_SECONDS: '60' }).JOBS_INTERVAL_SECONDS).toBe(60);
    expect(() => loadConfig({ JOBS_INTERVAL_SECONDS: '0' })).toThrow(/JOBS_INTERVAL_SECONDS:/);
    expect(() => loadConfig({ JOBS_INTERVAL_SECONDS: 'often' })).toThrow(/JOBS_INTERVAL_SECONDS:/);
  });

  it('names the brand after the sender of follow-up emails unless EMAIL_BRAND says otherwise', () => {
    expect(loadConfig({}).EMAIL_BRAND).toBe('Northwind Goods support');
    expect(loadConfig({ EMAIL_FROM: '"Acme, Inc." <help@acme.example>' }).EMAIL_BRAND).toBe('Acme, Inc.');
    expect(loadConfig({ EMAIL_FROM: 'help@acme.example' }).EMAIL_BRAND).toBe('Support');
    expect(loadConfig({ EMAIL_FROM: 'help@acme.example', EMAIL_BRAND: ' Acme ' }).EMAIL_BRAND).toBe('Acme');
    expect(loadConfig({ EMAIL_BRAND: '' }).EMAIL_BRAND).toBe('Northwind Goods support');
    expect(() => loadConfig({ EMAIL_BRAND: 'Acme <x@acme.example>' })).toThrow(/EMAIL_BRAND: a plain name/);
    expect(() => loadConfig({ EMAIL_BRAND: 'A'.repeat(81) })).toThrow(/EMAIL_BRAND: at most 80/);
  });

  it('accepts a complete real-Slack setup', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'a1b2c3d4e5',
      SLACK_HANDOFF_CHANNEL: 'C0123',
    });
    expect(usesLocalSlack(config)).toBe(false);
  });

  it('wants a UI token before the local workspace listens beyond loopback', () => {
    const token = 'a1b2c3d4e5f60718293a4b5c';
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /LOCAL_SLACK_UI_TOKEN: required when HOST \(0\.0\.0\.0\)/,
    );
    expect(() => loadConfig({ HOST: '0.0.0.0', LOCAL_SLACK_UI_TOKEN: 'short' })).toThrow(
      /LOCAL_SLACK_UI_TOKEN: at least 16/,
    );
    expect(loadConfig({ HOST: '0.0.0.0', LOCAL_SLACK_UI_TOKEN: token }).LOCAL_SLACK_UI_TOKEN).toBe(token);
    expect(loadConfig({ HOST: '::1' }).LOCAL_SLACK_UI_TOKEN).toBeUndefined();
    // With real Slack there is no local workspace to guard.
    const real = {
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'a1b2c3d4e5',
      SLACK_HANDOFF_CHANNEL: 'C1',
    };
    expect(loadConfig({ ...real, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it("reads the local workspace's extra allowed hosts as a list of host[:port]", () => {
    expect(loadConfig({}).LOCAL_SLACK_ALLOWED_HOSTS).toEqual([]);
    expect(
      loadConfig({ LOCAL_SLACK_ALLOWED_HOSTS: ' baton.lan , localhost:8080,' }).LOCAL_SLACK_ALLOWED_HOSTS,
    ).toEqual(['baton.lan', 'localhost:8080']);
    expect(() => loadConfig({ LOCAL_SLACK_ALLOWED_HOSTS: 'http://baton.lan' })).toThrow(
      /LOCAL_SLACK_ALLOWED_HOSTS\.0: host names or host:port/,
    );
  });

  it('needs no signing secret in Socket Mode (nothing arrives over HTTP to verify)', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_APP_TOKEN: 'xapp-1-2',
      SLACK_HANDOFF_CHANNEL: 'C0123',
    });
    expect(config.SLACK_SIGNING_SECRET).toBeUndefined();
    // Given anyway, it must still be a real one.
    expect(() =>
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1-2',
        SLACK_APP_TOKEN: 'xapp-1-2',
        SLACK_SIGNING_SECRET: 'changeme',
        SLACK_HANDOFF_CHANNEL: 'C0123',
      }),
    ).toThrow(/SLACK_SIGNING_SECRET/);
  });
});
