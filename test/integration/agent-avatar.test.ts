import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM } from '../../src/sandbox/default-workspace.js';
import { type Harness, slashCommand, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const withAvatar = z.object({ name: z.string(), avatarUrl: z.string().optional() });
const history = z.object({
  conversation: z.object({ status: z.string(), agent: withAvatar.optional() }),
  messages: z.array(z.object({ author: z.string(), text: z.string(), agent: withAvatar.optional() })),
});

/** The picture users.info gave Baton for this agent, as the local workspace answered it. */
function usersInfoImage(userId: string): string {
  const call = h.sandbox.calls().find((c) => c.method === 'users.info' && c.args.user === userId);
  const parsed = z
    .object({ user: z.object({ profile: z.object({ image_72: z.string() }) }) })
    .parse(call?.response);
  return parsed.user.profile.image_72;
}

async function claimedConversation() {
  const s = await h.chat.start();
  await h.chat.send(s, 'Can I talk to a real person please?');
  await h.chat.waitFor(s, (r) => r.status === 'waiting');
  const card = await waitForCard(h.sandbox);
  await h.sandbox.clickButton(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
  await h.chat.waitFor(s, (r) => r.status === 'claimed');
  return { s, card };
}

describe("the agent's picture", () => {
  it('reaches the conversation and every agent message from users.info, and the page may load it', async () => {
    const { s, card } = await claimedConversation();
    const image = usersInfoImage(SANDBOX_AGENT_DANA);
    expect(image).toBe(`${h.sandbox.url}/avatars/${SANDBOX_AGENT_DANA}_72.png`);

    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, 'Hi, Dana here.', {
      threadTs: card.ts,
    });
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent'));
    const view = history.parse((await h.chat.messages(s)).json);
    expect(view.conversation.agent).toEqual({ name: 'Dana', avatarUrl: image });
    expect(view.messages.find((m) => m.author === 'agent')?.agent).toEqual({
      name: 'Dana',
      avatarUrl: image,
    });

    // The local workspace really serves it: a small image, loadable by another origin's page.
    const res = await fetch(image);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toMatch(/^<svg [^>]*width="72" height="72"/);
    expect((await fetch(`${h.sandbox.url}/avatars/UNOBODY_72.png`)).status).toBe(404);

    // The chat page's CSP names exactly Slack's image hosts and this workspace, no wider.
    const page = await fetch(`${h.baton.url}/`);
    const imgSrc = /img-src ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    expect(imgSrc?.split(' ')).toEqual(["'self'", 'data:', 'https://avatars.slack-edge.com', h.sandbox.url]);
  });

  it('follows a transfer: the new agent and their picture, earlier messages keep the first', async () => {
    const { s, card } = await claimedConversation();
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Passing you to Sam.', { threadTs: card.ts });
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent'));
    await slashCommand(h.sandbox, SANDBOX_AGENT_DANA, ch, `transfer <@${SANDBOX_AGENT_SAM}>`);
    await h.chat.waitFor(s, (r) => r.agent?.name === 'Sam');
    await h.sandbox.postMessageAs(SANDBOX_AGENT_SAM, ch, 'Sam here.', { threadTs: card.ts });
    await h.chat.waitFor(s, (r) => r.messages.filter((m) => m.author === 'agent').length === 2);

    const view = history.parse((await h.chat.messages(s)).json);
    const sam = usersInfoImage(SANDBOX_AGENT_SAM);
    expect(view.conversation.agent).toEqual({ name: 'Sam', avatarUrl: sam });
    expect(view.messages.filter((m) => m.author === 'agent').map((m) => m.agent?.avatarUrl)).toEqual([
      usersInfoImage(SANDBOX_AGENT_DANA),
      sam,
    ]);
  });
});
