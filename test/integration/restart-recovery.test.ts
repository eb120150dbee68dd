import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendMessage } from '../../src/conversation/messages.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

let dir: string;
const running: Harness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<Harness> {
  const h = await startHarness({ DATABASE_PATH: path.join(dir, 'baton.db') });
  running.push(h);
  return h;
}

describe('restart recovery', () => {
  it('answers a customer message that was stored but not answered before a stop', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-restart-'));
    const first = await boot();
    const s = await first.chat.start();
    // Store the message the way the API does, without the background answer: what a crash right after the 201 leaves.
    await appendMessage(first.baton.deps, {
      conversationId: s.id,
      author: 'customer',
      text: 'How long does standard shipping take?',
    });
    await first.stop();
    running.pop();

    const second = await boot();
    const reply = await second.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'bot'));
    expect(reply.text).toMatch(/business days/);
  });

  it('keeps queued Slack posts across a restart and delivers them afterwards', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-restart-'));
    const first = await boot();
    // Slack says to come back in 2 s; Baton stops before then. The post waits in SQLite, not in memory.
    first.sandbox.forceRateLimit('chat.postMessage', 1, 2);
    const s = await first.chat.start();
    await first.chat.send(s, 'I want to talk to a person');
    await first.chat.waitFor(s, (r) => r.status === 'waiting');
    await first.sandbox.waitForCall((c) => c.method === 'chat.postMessage' && c.status === 429);
    await first.stop();
    running.pop();

    const second = await boot();
    const card = await waitForCard(second.sandbox);
    expect(JSON.stringify(card.blocks)).toContain('Customer asked for a person');
  });
});
