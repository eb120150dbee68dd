import type { App } from '@slack/bolt';
import { z } from 'zod';
import { dismissSuggestion, sendSuggestion } from '../../handoff/copilot.js';
import { findSuggestion } from '../../handoff/suggestion-repository.js';
import {
  buildEditView,
  COPILOT_DISMISS,
  COPILOT_EDIT,
  COPILOT_EDIT_VIEW,
  COPILOT_INPUT_ACTION,
  COPILOT_INPUT_BLOCK,
  COPILOT_SEND,
} from '../copilot-blocks.js';
import type { SlackListenerDeps } from '../slack-deps.js';

const click = z.object({
  user: z.object({ id: z.string().min(1) }),
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().min(1).max(100) })).min(1),
});

const submission = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    private_metadata: z.string().min(1).max(100),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

/** Send, Edit and Dismiss on the agent's private suggestion, and the Edit modal's submission. */
export function registerCopilot(app: App, deps: SlackListenerDeps): void {
  app.action(COPILOT_SEND, async ({ ack, body, respond }) => {
    await ack();
    const parsed = click.safeParse(body);
    if (!parsed.success) return;
    const result = await sendSuggestion(deps.services, parsed.data.actions[0]!.value, parsed.data.user.id);
    if (result.kind === 'sent') await respond({ delete_original: true });
    else await respond({ replace_original: false, response_type: 'ephemeral', text: result.why });
  });

  app.action(COPILOT_DISMISS, async ({ ack, body, respond }) => {
    await ack();
    const parsed = click.safeParse(body);
    if (!parsed.success) return;
    await dismissSuggestion(deps.services, parsed.data.actions[0]!.value, parsed.data.user.id);
    await respond({ delete_original: true });
  });

  app.action(COPILOT_EDIT, async ({ ack, body, client, respond }) => {
    await ack();
    const parsed = click.safeParse(body);
    if (!parsed.success) return;
    const suggestion = await findSuggestion(deps.services.db, parsed.data.actions[0]!.value);
    if (!suggestion || suggestion.agentSlackId !== parsed.data.user.id || suggestion.state !== 'offered') {
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        text: 'This suggestion is no longer open.',
      });
      return;
    }
    await client.views.open({ trigger_id: parsed.data.trigger_id, view: buildEditView(suggestion) as never });
  });

  app.view(COPILOT_EDIT_VIEW, async ({ ack, body }) => {
    const parsed = submission.safeParse(body);
    const text = parsed.success
      ? (parsed.data.view.state.values[COPILOT_INPUT_BLOCK]?.[COPILOT_INPUT_ACTION]?.value ?? '').trim()
      : '';
    if (!parsed.success || text.length === 0) {
      await ack({
        response_action: 'errors',
        errors: { [COPILOT_INPUT_BLOCK]: 'Write a reply before sending.' },
      });
      return;
    }
    if (text.length > 3000) {
      await ack({
        response_action: 'errors',
        errors: { [COPILOT_INPUT_BLOCK]: 'Keep the reply under 3,000 characters.' },
      });
      return;
    }
    const result = await sendSuggestion(
      deps.services,
      parsed.data.view.private_metadata,
      parsed.data.user.id,
      text,
    );
    if (result.kind === 'sent') await ack();
    else await ack({ response_action: 'errors', errors: { [COPILOT_INPUT_BLOCK]: result.why } });
  });
}
