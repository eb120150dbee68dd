import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_GENERAL_CHANNEL_ID as GENERAL,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
  SANDBOX_MEMBER_MORGAN as MORGAN,
} from '../../src/sandbox/default-workspace.js';
import { deskHelpers } from './desk-helpers.js';
import { type Harness, recordedCard, type Session, startHarness, waitForCard } from './harness.js';

/**
 * `/baton triggers test <change>` through the local Slack workspace: conversations are held with the
 * real assistant through the chat API, then a proposed trigger change is replayed over what the
 * triggers saw, answered privately, and applied with the report's button.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness({}, { conversationsPerMinute: 100, messagesPerMinute: 100 });
  h.sandbox.setRateLimits(false);
});
afterEach(async () => {
  await h.stop();
});

const { baton, audit, announced } = deskHelpers(() => h);

/** One customer line, and the assistant's turn on it finished. */
async function ask(line: string): Promise<Session> {
  const s = await h.chat.start({ customer: { name: 'Robin Customer' } });
  await h.chat.send(s, line);
  await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author !== 'customer') || r.status !== 'bot');
  await h.baton.settle();
  return s;
}

const actionBlock = z.object({
  type: z.literal('actions'),
  elements: z.array(z.object({ action_id: z.string(), value: z.string() })),
});
/** The words the report's Apply button would run, if it has one. */
const applyButton = (blocks: unknown[] | undefined) =>
  (blocks ?? [])
    .flatMap((b) => {
      const parsed = actionBlock.safeParse(b);
      return parsed.success ? parsed.data.elements : [];
    })
    .find((e) => e.action_id === 'baton_triggers_apply')?.value;

async function keywords() {
  return (await h.baton.deps.settings()).triggers.sensitive.keywords;
}

describe('/baton triggers test', () => {
  it('replays a keyword over past conversations, changes nothing, and the Apply button applies it', async () => {
    const shipping = await ask('How long does standard shipping take?');
    const person = await ask('can I talk to a real person');
    await waitForCard(h.sandbox, (t) => t.includes(person.id));
    const tractors = await ask('Do you sell second-hand tractors for farms?');
    const card = await waitForCard(h.sandbox, (t) => t.includes(tractors.id));
    // Its link in the report needs the card's ts, recorded when Slack's answer to the post is read.
    await expect.poll(() => recordedCard(h, card.ts)).toBeDefined();
    expect((await h.chat.messages(shipping)).json.conversation.status).toBe('bot');

    const report = await baton(ALEX, 'triggers test keywords add shipping');
    expect(report.text).toBe(
      'What if add sensitive keyword shipping: handoffs 66.7% → 100% of 3 conversations.',
    );
    const shown = JSON.stringify(report.blocks);
    expect(shown).toContain(
      'Replayed 3 conversations (3 customer messages the assistant decided on) from the last 30 days',
    );
    expect(shown).toContain('*Handoffs:* 2 of 3 now (66.7%) → 3 (100%) with the change');
    expect(shown).toContain('• Customer asked for a person: 1 → 1');
    expect(shown).toContain('• Sensitive topic: 0 → 1');
    expect(shown).toContain('• The assistant was not confident: 1 → 1');
    // The support team sees the customer's words it would hand off on, made inert (and masked).
    expect(shown).toContain(
      `*Would hand off, and do not now:* 1\\n• \`${shipping.id}\` · Sensitive topic · no card\\n      “How long does standard shipping take?”`,
    );
    expect(shown).toContain('*Hand off now, and would not:* 0');
    expect(applyButton(report.blocks)).toBe('trigger keywords add shipping');
    // A replay is only a replay: no setting, audit row or announcement.
    expect(await keywords()).toEqual([]);
    expect(await audit()).toEqual([]);

    // Turning the confidence trigger off would stop the tractor question's handoff; its example links to its card.
    const off = await baton(ALEX, 'triggers test confidence off');
    const offShown = JSON.stringify(off.blocks);
    expect(offShown).toContain('*Hand off now, and would not:* 1');
    expect(offShown).toMatch(
      new RegExp(`\`${tractors.id}\` · The assistant was not confident · <[^|>]*${card.ts}\\|card>`),
    );

    // Agents may look; only admins get the button. Outside the support team, no customer's words.
    const agent = await baton(DANA, 'triggers test keywords add shipping');
    expect(applyButton(agent.blocks)).toBeUndefined();
    expect(JSON.stringify(agent.blocks)).toContain('“How long does standard shipping take?”');
    const member = JSON.stringify(
      (await baton(MORGAN, 'triggers test keywords add shipping', GENERAL)).blocks,
    );
    expect(member).toContain(`• \`${shipping.id}\` · Sensitive topic · no card`);
    expect(member).not.toContain('How long does standard shipping take?');
    expect(applyButton(agent.blocks)).toBeUndefined();
    expect(JSON.stringify(agent.blocks)).toContain(
      'Only Baton admins (BATON_ADMINS) and workspace admins or owners can apply it.',
    );

    const ephemeral = h.sandbox
      .ephemeralsFor(ALEX)
      .find((e) => e.text.includes('add sensitive keyword shipping'));
    const click = await h.sandbox.clickButton(ALEX, HANDOFFS, ephemeral!.ts, 'baton_triggers_apply', {
      ephemeral: true,
    });
    expect(click.status).toBe(200);
    await h.sandbox.waitFor(() =>
      h.sandbox
        .ephemeralsFor(ALEX)
        .find(
          (e) => e.ts === ephemeral!.ts && e.text.startsWith('Done. added sensitive keywords `shipping`.'),
        ),
    );
    await announced(`:gear: <@${ALEX}> changed a handoff trigger: added sensitive keywords \`shipping\`.`);
    expect(await keywords()).toEqual(['shipping']);
    const [row] = await audit();
    expect(row).toMatchObject({ actor: ALEX, action: 'set triggers' });

    // What the replay promised now happens to a new customer.
    const next = await ask('How long does standard shipping take?');
    await waitForCard(h.sandbox, (t) => t.includes(next.id));
    const handoff = await h.baton.deps.db
      .selectFrom('handoffs')
      .select('reason')
      .where('conversation_id', '=', next.id)
      .executeTakeFirstOrThrow();
    expect(handoff.reason).toBe('sensitive_topic');

    // The App Home looks back at the change with what happened since (not a replay).
    await h.sandbox.openAppHome(DANA);
    const home = await h.sandbox.waitFor(() => h.sandbox.homeViewFor(DANA));
    const homeText = JSON.stringify(home.view);
    expect(homeText).toContain('Last trigger change');
    expect(homeText).toContain(`*Since <@${ALEX}> added keyword shipping* (less than a day ago)`);
    expect(homeText).toContain(
      'Handoffs: 66.7% of 3 conversations in the 30 days before → 100% of 1 conversation since',
    );
  });

  it('refuses a button whose value is not a trigger change, and changes nothing', async () => {
    await ask('How long does standard shipping take?');
    await baton(ALEX, 'triggers test confidence 0.9');
    const ephemeral = h.sandbox.ephemeralsFor(ALEX).find((e) => e.text.includes('confidence threshold 0.9'));
    await h.sandbox.clickButton(ALEX, HANDOFFS, ephemeral!.ts, 'baton_triggers_apply', {
      ephemeral: true,
      value: 'routing skill',
    });
    await h.sandbox.waitFor(() =>
      h.sandbox
        .ephemeralsFor(ALEX)
        .find((e) => e.text.startsWith('That button does not hold a trigger change.')),
    );
    expect(await audit()).toEqual([]);
    expect((await h.baton.deps.settings()).routing).toBe('round-robin');
    // The report itself stays, so the admin can still apply what it replayed.
    expect(h.sandbox.ephemeralsFor(ALEX).find((e) => e.ts === ephemeral!.ts)?.text).toContain(
      'confidence threshold 0.9',
    );
  });

  it('says so when there is nothing to replay, and explains a malformed change', async () => {
    const empty = await baton(ALEX, 'triggers test sentiment -0.2');
    expect(empty.text).toBe('What if sentiment threshold -0.2: nothing to replay yet.');
    expect(JSON.stringify(empty.blocks)).toContain(
      'The assistant decided on no conversation in the last 30 days',
    );
    const week = await baton(ALEX, 'triggers test sentiment -0.2 7d');
    expect(JSON.stringify(week.blocks)).toContain(
      'The assistant decided on no conversation in the last 7 days',
    );
    const bad = await baton(ALEX, 'triggers test sentiment 0.4');
    expect(bad.text).toContain('Sentiment is a number from -1 to 0.');
    expect(bad.text).toContain('Usage: `/baton triggers [test <change> [<days>d]]');
  });
});

describe('the trigger decision kept for replays', () => {
  it('is committed with the answer it led to, and a failure to keep it does not hold the answer back', async () => {
    const s = await h.chat.start({ customer: { name: 'Robin Customer' } });
    await h.chat.send(s, 'How long does standard shipping take?');
    await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'bot'));
    // Read the moment the answer is visible, with nothing settled first: it shares the answer's commit.
    const kept = await h.baton.deps.db
      .selectFrom('trigger_inputs')
      .select(['customer_turns'])
      .where('conversation_id', '=', s.id)
      .execute();
    expect(kept).toEqual([{ customer_turns: 1 }]);

    await sql`drop table trigger_inputs`.execute(h.baton.deps.db);
    const t = await h.chat.start({ customer: { name: 'Robin Customer' } });
    await h.chat.send(t, 'How long does standard shipping take?');
    const answer = await h.chat.waitFor(t, (r) => r.messages.find((m) => m.author === 'bot'));
    expect(answer.text).toMatch(/3.5 business days/);
  });
});
