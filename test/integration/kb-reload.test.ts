import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
let dir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-kb-'));
  fs.cpSync('kb', dir, { recursive: true });
  h = await startHarness({ KB_DIR: dir }, { conversationsPerMinute: 10_000, messagesPerMinute: 10_000 });
});
afterEach(async () => {
  await h.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('knowledge base reload', () => {
  it('answers from an article added while Baton runs, without a restart', async () => {
    const question = 'Do you offer gift wrapping for birthday presents?';
    const before = await h.chat.start();
    await h.chat.send(before, question);
    const first = await h.chat.waitFor(before, (r) => r.messages.length > 1 && r);
    expect(first.messages.some((m) => m.articles?.some((a) => a.id === 'gift-wrapping'))).toBe(false);

    fs.writeFileSync(
      path.join(dir, 'gift-wrapping.md'),
      [
        '---',
        'title: Gift wrapping',
        'url: https://help.northwind.example/articles/gift-wrapping',
        'tags: [orders, gifts]',
        '---',
        '# Gift wrapping',
        '',
        'We offer gift wrapping for birthday presents and every other occasion. Choose "Gift wrap" at checkout:',
        'it costs $4.95 per item and includes a handwritten card. Gift-wrapped orders ship without a price on the packing slip.',
      ].join('\n'),
    );

    const deadline = Date.now() + 8000;
    let cited = false;
    while (!cited && Date.now() < deadline) {
      const s = await h.chat.start();
      await h.chat.send(s, question);
      const state = await h.chat.waitFor(s, (r) => r.messages.length > 1 && r);
      cited = state.messages.some((m) => m.articles?.some((a) => a.id === 'gift-wrapping'));
      if (!cited) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cited).toBe(true);
  });
});
