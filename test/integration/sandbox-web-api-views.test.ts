import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import type { Receiver } from './sandbox-receiver.js';
import { errorOf, type Sandbox, section, startWorkspace, stopWorkspace } from './sandbox-web-api-helpers.js';

// Modals and the home tab through the sandbox's Web API. Opening a modal needs a trigger id
// from a button click the receiver saw, and expiring one needs the sandbox clock moved forward.

let sandbox: Sandbox;
let receiver: Receiver;
let client: WebClient;
let skewMs = 0;

beforeEach(async () => {
  skewMs = 0;
  ({ sandbox, receiver, client } = await startWorkspace(() => skewMs));
});

afterEach(() => stopWorkspace(sandbox, receiver));

describe('views', () => {
  const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Claim' }, blocks: [] };

  async function triggerFromClick(): Promise<string> {
    const card = await client.chat.postMessage({
      channel: 'C0HANDOFFS',
      text: 'card',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' } }],
        },
      ],
    });
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', card.ts!, 'claim');
    const click = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    return String(click.parsed.trigger_id);
  }

  it('opens a modal with a fresh trigger id, once', async () => {
    const trigger = await triggerFromClick();
    const res = await client.views.open({ trigger_id: trigger, view: modal });
    expect(res.view).toMatchObject({ type: 'modal', root_view_id: res.view?.id, app_id: sandbox.appId });
    expect(sandbox.openModalsFor(SANDBOX_AGENT_DANA).map((v) => v.id)).toEqual([res.view?.id]);
    expect((await errorOf(client.views.open({ trigger_id: trigger, view: modal }))).error).toBe(
      'expired_trigger_id',
    );
    expect((await errorOf(client.views.open({ trigger_id: '1.2.made-up', view: modal }))).error).toBe(
      'invalid_arguments',
    );
  });

  it('refuses a trigger id older than 3 seconds', async () => {
    const trigger = await triggerFromClick();
    skewMs = 3001;
    expect((await errorOf(client.views.open({ trigger_id: trigger, view: modal }))).error).toBe(
      'expired_trigger_id',
    );
  });

  it('publishes and republishes the home tab', async () => {
    const home = { type: 'home' as const, blocks: [section('Welcome')] };
    const first = await client.views.publish({ user_id: SANDBOX_AGENT_DANA, view: home });
    const second = await client.views.publish({
      user_id: SANDBOX_AGENT_DANA,
      view: { ...home, blocks: [section('Again')] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(sandbox.homeViewFor(SANDBOX_AGENT_DANA)?.view.blocks).toEqual([
      { ...section('Again'), block_id: expect.any(String) },
    ]);
    const err = await errorOf(client.views.publish({ user_id: 'U0NOBODY', view: home }));
    expect(err.error).toBe('invalid_arguments');
  });
});
