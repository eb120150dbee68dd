import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../../src/ai/create-knowledge-base.js';
import { createLocalAssistant } from '../../src/ai/local-assistant.js';
import { createOpenAiAssistant } from '../../src/ai/openai-assistant.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_MEMBER_MORGAN as MORGAN,
} from '../../src/sandbox/default-workspace.js';
import { type OpenAiStub, startOpenAiStub } from '../support/openai-stub.js';
import { auditedReveals, type Harness, slashCommand, startHarness, waitForCard } from './harness.js';

/**
 * Issue 15, part 2: personal data a customer types is masked on the card, in the thread and towards
 * the model, revealed to an agent only by a click that is audited, and configurable with /baton redact.
 * The customer's own chat keeps what they typed.
 */
const CARD = '4242 4242 4242 4242';
const ORDER = '1234567812345678'; // 16 digits that fail the Luhn check: an order number, shown
const PASSWORD = 'hunter2-Zebra';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const blocksText = (m: { text?: string; blocks?: unknown[] }) =>
  `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;

async function handedOff(first: string) {
  const s = await h.chat.start({ customer: { name: 'Jamie Customer', email: 'jamie@example.com' } });
  expect((await h.chat.send(s, first)).status).toBe(201);
  expect((await h.chat.send(s, 'I want to talk to a person')).status).toBe(201);
  const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
  return { s, card };
}

describe('personal data in Slack', () => {
  it('masks a card number on the card, keeps an order number, and reveals it to the clicking agent only, audited', async () => {
    const { s, card } = await handedOff(`My card ${CARD} was charged twice for order ${ORDER}`);
    const shown = blocksText(card);
    expect(shown).not.toContain('4242 4242');
    expect(shown).toContain('[card ending 4242]');
    expect(shown).toContain(ORDER);
    expect(shown).toContain('baton_reveal');
    // The customer's own chat shows what they typed.
    const history = (await h.chat.messages(s)).json.messages as { text: string }[];
    expect(history.some((m) => m.text.includes(CARD))).toBe(true);

    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_reveal');
    const revealed = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('Revealed to you only')),
    );
    expect(revealed.text).toContain(CARD);
    // Nowhere else: not in the channel, the thread, or anyone else's view.
    const everything = [
      ...h.sandbox.readChannel(h.sandbox.handoffChannelId),
      ...h.sandbox.readThread(h.sandbox.handoffChannelId, card.ts),
    ];
    expect(everything.some((m) => blocksText(m).includes('4242 4242'))).toBe(false);
    await h.sandbox.clickButton(MORGAN, h.sandbox.handoffChannelId, card.ts, 'baton_reveal');
    // Someone outside the channel (reading a public channel) is refused, and nothing is audited for them.
    await h.baton.settle();
    expect(h.sandbox.ephemeralsFor(MORGAN).some((e) => e.text.includes('4242'))).toBe(false);
    expect((await auditedReveals(h)).map((r) => r.actor)).toEqual([DANA]);
    const audit = await h.baton.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reveal masked data')
      .execute();
    expect(audit).toHaveLength(1); // Dana's; Morgan's click below is refused before any audit
    expect(audit[0]!.actor).toBe(DANA);
    expect(JSON.parse(audit[0]!.new_value ?? '{}')).toMatchObject({ conversationId: s.id });
    expect(audit[0]!.new_value).not.toContain('4242');
  });

  it('audits a reveal once when Slack fails to show its answer, and does not reveal it again', async () => {
    const { card } = await handedOff(`My card ${CARD} was charged twice`);
    h.sandbox.setFault('chat.postEphemeral', { kind: 'error', error: 'internal_error' }, 1);
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_reveal');
    await h.baton.settle();
    // The click is done: a retry would reveal and audit it a second time. Dana can click again.
    const rows = await h.baton.deps.db
      .selectFrom('slack_inbox')
      .select(['state', 'attempts'])
      .where('kind', '=', 'action')
      .execute();
    expect(rows).toEqual([{ state: 'done', attempts: 0 }]);
    expect(await auditedReveals(h)).toEqual([{ actor: DANA }]);
    expect(h.sandbox.ephemeralsFor(DANA)).toEqual([]);
  });

  it('reveals a masked rating comment from the card', async () => {
    const { s, card } = await handedOff('Where is my parcel?');
    const channel = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(DANA, channel, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    const rated = () => h.sandbox.readChannel(channel).find((m) => m.ts === card.ts);
    await h.sandbox.waitFor(() => blocksText(rated()!).includes('baton_resolve'));
    await h.sandbox.clickButton(DANA, channel, card.ts, 'baton_resolve');
    await h.chat.waitFor(s, (r) => r.status === 'resolved');
    expect((await h.chat.csat(s, 2, `Please refund to my card ${CARD}`)).status).toBe(201);
    await h.sandbox.waitFor(() => blocksText(rated()!).includes('[card ending 4242]'));
    expect(blocksText(rated()!)).not.toContain('4242 4242');
    await h.sandbox.clickButton(DANA, channel, card.ts, 'baton_reveal');
    const revealed = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('Revealed to you only')),
    );
    expect(revealed.text).toContain('Rating comment');
    expect(revealed.text).toContain(CARD);
  });

  it('keeps an SSN out of the card whole, the summary facts included', async () => {
    const { card } = await handedOff('My social security number is 123-45-6789, call me at +1 415 555 2671');
    const shown = blocksText(card);
    expect(shown).not.toContain('123-45-6789');
    expect(shown).not.toContain('45-6789');
    expect(shown).toContain('[national ID hidden]');
    // Phone numbers are shown unless an admin masks them.
    expect(shown).toContain('415 555 2671');
  });

  it('masks a password in a thread line, with its own Reveal button', async () => {
    const { s, card } = await handedOff('Hello, I cannot log in');
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    await h.chat.send(s, `my password is ${PASSWORD} and it stopped working`);
    const line = await h.sandbox.waitFor(() =>
      h.sandbox
        .readThread(h.sandbox.handoffChannelId, card.ts)
        .find((m) => (m.text ?? '').includes('stopped working')),
    );
    expect(blocksText(line)).not.toContain(PASSWORD);
    expect(line.text).toContain('[password hidden]');
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, line.ts, 'baton_reveal');
    const revealed = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('Revealed to you only')),
    );
    expect(revealed.text).toContain(PASSWORD);
  });

  it('lets an admin turn masking of emails on, and no one else', async () => {
    const refused = await slashCommand(h.sandbox, DANA, h.sandbox.handoffChannelId, 'redact on email');
    expect(refused.text).toContain('Only Baton admins');
    const listed = await slashCommand(h.sandbox, DANA, h.sandbox.handoffChannelId, 'redact');
    expect(listed.text).toMatch(/`email` email addresses: shown/);
    const bad = await slashCommand(h.sandbox, ALEX, h.sandbox.handoffChannelId, 'redact on everything');
    expect(bad.text).toContain('Usage:');
    const done = await slashCommand(h.sandbox, ALEX, h.sandbox.handoffChannelId, 'redact on email');
    expect(done.text).toContain('Done.');
    expect(done.text).toMatch(/`email` email addresses: \*masked\*/);
    const { card } = await handedOff('Write to me at other.address@example.org please');
    const shown = blocksText(card);
    expect(shown).not.toContain('other.address@example.org');
    expect(shown).not.toContain('jamie@example.com');
    expect(shown).toContain('[email hidden]');
    const audit = await h.baton.deps.db.selectFrom('audit_log').select(['actor', 'action']).execute();
    expect(audit).toContainEqual({ actor: ALEX, action: 'set redaction' });
  });
});

describe('personal data towards the language model', () => {
  let stub: OpenAiStub;
  beforeAll(async () => {
    stub = await startOpenAiStub();
  });
  afterAll(async () => {
    await stub.close();
  });

  it('never sends a card number, a password or a one-time code, only what stood there', async () => {
    const kb = await createKnowledgeBase('kb');
    const quiet = { warn: () => {}, info: () => {} };
    const assistant = createOpenAiAssistant({
      apiKey: 'sk-test',
      baseURL: stub.baseURL,
      model: 'stub',
      timeoutMs: 2_000,
      maxRetries: 0,
      kb,
      fallback: createLocalAssistant({ kb }),
      log: quiet,
    });
    await assistant.analyze({
      history: [{ author: 'customer', text: `my password is ${PASSWORD}` }],
      message: `Card ${CARD} was charged, the code is 482913`,
    });
    await assistant.summarize({
      history: [
        { author: 'customer', text: `Card ${CARD}, password: ${PASSWORD}` },
        { author: 'bot', text: 'Let me get someone.' },
      ],
    });
    const sent = stub.requests.map((r) => JSON.stringify(r.body)).join('\n');
    expect(stub.requests.length).toBeGreaterThan(0);
    for (const secret of [CARD, '4242424242424242', PASSWORD, '482913']) expect(sent).not.toContain(secret);
    expect(sent).toContain('[card ending 4242]');
    expect(sent).toContain('[password hidden]');
  });
});
