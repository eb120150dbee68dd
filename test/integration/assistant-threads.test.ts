import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../support/smtp-sink.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

/**
 * The whole customer loop with the assistant in a worker thread, as Baton runs by default
 * (ASSISTANT_THREADS=1; the other integration tests run it on the event loop): answers with their
 * articles, and a handoff whose card carries the summary the thread wrote.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('the assistant in a worker thread', () => {
  it('answers with cited articles and hands off with a summary on the card', async () => {
    const { lines, log } = captureLog();
    h = await startHarness({ ASSISTANT_THREADS: '1' }, undefined, undefined, log);
    const s = await h.chat.start();
    await h.chat.send(s, 'How long does standard shipping take?');
    // The thread loads the knowledge base as Baton starts; the first answer may wait for it.
    const reply = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'bot'), 15_000);
    expect(reply.articles?.slice(0, 3).map((a) => a.id)).toContain('shipping-rates-and-delivery-times');

    await h.chat.send(s, 'My order #48213 never arrived. I want to talk to a person now.');
    await h.chat.waitFor(s, (r) => r.status === 'waiting');
    const card = JSON.stringify(await waitForCard(h.sandbox));
    expect(card).toContain('48213');
    // Answered by the thread itself, not by the engine on the event loop standing in for a failed one.
    expect(lines.filter((l) => l.includes('assistant thread'))).toEqual([]);
  });
});
