import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_ADMIN_ALEX,
  SANDBOX_AGENT_DANA,
  SANDBOX_AGENT_SAM,
} from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, slashCommand, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function claimedByDana(): Promise<{ s: Session; cardTs: string }> {
  const s = await h.chat.start({ customer: { name: 'Jamie' } });
  await h.chat.send(s, 'I want to talk to a person');
  const card = await waitForCard(h.sandbox);
  await h.sandbox.clickButton(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
  await h.chat.waitFor(s, (r) => r.status === 'claimed');
  return { s, cardTs: card.ts };
}

const run = (user: string, text: string) => slashCommand(h.sandbox, user, h.sandbox.handoffChannelId, text);

describe('admins and conversations someone else holds', () => {
  it('lets an admin resolve a named conversation Dana holds, but not another agent', async () => {
    const { s } = await claimedByDana();
    const sam = await run(SANDBOX_AGENT_SAM, `resolve ${s.id}`);
    expect(sam.text).toContain('no open conversation with that id');
    expect((await h.chat.messages(s)).json.conversation.status).toBe('claimed');
    const alex = await run(SANDBOX_ADMIN_ALEX, `resolve ${s.id}`);
    expect(alex.text).toContain('Resolved');
    const state = await h.chat.waitFor(s, (r) => r.status === 'resolved' && r);
    expect(state.messages.at(-1)?.text).toBe('Conversation resolved by Alex.');
  });

  it('lets an admin transfer a named conversation to another agent', async () => {
    const { s } = await claimedByDana();
    const res = await run(SANDBOX_ADMIN_ALEX, `transfer <@${SANDBOX_AGENT_SAM}|sam> ${s.id}`);
    expect(res.text).toContain('Transferred to Sam');
    const state = await h.chat.waitFor(s, (r) => r.agent?.name === 'Sam' && r);
    expect(state.status).toBe('claimed');
  });

  it('refuses to transfer to a channel that cannot take the card, and keeps the conversation where it is', async () => {
    const { s } = await claimedByDana();
    const res = await run(SANDBOX_AGENT_DANA, 'transfer <#C0NOWHERE|nowhere>');
    expect(res.text).toContain('cannot find');
    expect((await h.chat.messages(s)).json.conversation).toMatchObject({
      status: 'claimed',
      agent: { name: 'Dana' },
    });
  });
});
