import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(fs.readFileSync('manifest.yml', 'utf8'));
const schema = JSON.parse(
  fs.readFileSync('test/fixtures/slack-samples/specs/manifest.schema.1.0.0.json', 'utf8'),
);
const source = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(`${f.parentPath}/${f.name}`, 'utf8'))
    .join('\n');

describe('manifest.yml', () => {
  it("validates against Slack's published manifest schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
    const addFormats = addFormatsModule as unknown as { default: (a: Ajv) => void };
    addFormats.default(ajv);
    const valid = ajv.validate(schema, manifest);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('stays true to the code: the command and the events Baton listens to', () => {
    const listeners = source('src/slack');
    const commands = [...listeners.matchAll(/app\.command\('([^']+)'/g)].map((m) => m[1]);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(commands);
    const events = [...listeners.matchAll(/app\.event\('([^']+)'/g)].map((m) => m[1]);
    const subscribed: string[] = manifest.settings.event_subscriptions.bot_events;
    for (const event of events) {
      const needed = event === 'message' ? ['message.channels', 'message.groups'] : [event];
      for (const e of needed) expect(subscribed).toContain(e);
    }
    // Each Web API family Baton calls has its scope (Slack refuses the call with missing_scope otherwise).
    const code = source('src');
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    for (const [call, scope] of [
      [/client\.reactions\.|reactions\.add/, 'reactions:write'],
      [/chat\.postMessage/, 'chat:write'],
      [/users\.info/, 'users:read'],
    ] as const) {
      if (call.test(code)) expect(scopes).toContain(scope);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    for (const url of [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ]) {
      expect(url).toMatch(/\/slack\/events$/);
    }
  });
});
