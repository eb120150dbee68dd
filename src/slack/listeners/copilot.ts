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
import { listenerLog } from './listener-log.js';

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
    const log = listenerLog(deps.services.log, 'copilot_send', body);
    const parsed = click.safeParse(body);
    if (!parsed.success) {
      log.warn('copilot click not understood');
      return;
    }
    const suggestionId = parsed.data.actions[0]!.value;
    const result = await sendSuggestion(deps.services, suggestionId, parsed.data.user.id);
    log.info({ suggestionId, result: result.kind }, 'copilot suggestion send');
    if (result.kind === 'sent') await respond({ delete_original: true });
    else await respond({ replace_original: false, response_type: 'ephemeral', text: result.why });
  });

  app.action(COPILOT_DISMISS, async ({ ack, body, respond }) => {
    await ack();
    const log = listenerLog(deps.services.log, 'copilot_dismiss', body);
    const parsed = click.safeParse(body);
    if (!parsed.success) {
      log.warn('copilot click not understood');
      return;
    }
    const suggestionId = parsed.data.actions[0]!.value;
    await dismissSuggestion(deps.services, suggestionId, parsed.data.user.id);
    log.info({ suggestionId }, 'copilot suggestion dismissed');
    await respond({ delete_original: true });
  });

  app.action(COPILOT_EDIT, async ({ ack, body, client, respond }) => {
    await ack();
    const log = listenerLog(deps.services.log, 'copilot_edit', body);
    const parsed = click.safeParse(body);
    if (!parsed.success) {
      log.warn('copilot click not understood');
      return;
    }
    const suggestion = await findSuggestion(deps.services.db, parsed.data.actions[0]!.value);
    if (!suggestion || suggestion.agentSlackId !== parsed.data.user.id || suggestion.state !== 'offered') {
      log.info(
        { suggestionId: parsed.data.actions[0]!.value, handoffId: suggestion?.handoffId },
        'copilot edit refused: suggestion not open',
      );
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        text: 'This suggestion is no longer open.',
      });
      return;
    }
    // A trigger is good for 3 s: when Slack was too slow (or this is a retry), say so instead of failing.
    await client.views
      .open({ trigger_id: parsed.data.trigger_id, view: buildEditView(suggestion) })
      .catch(async (error: unknown) => {
        log.warn({ err: error }, 'copilot edit: could not open the modal');
        await respond({
          replace_original: false,
          response_type: 'ephemeral',
          text: 'Slack did not let me open the editor in time. Click Edit again.',
        }).catch(() => {});
      });
  });

  app.view(COPILOT_EDIT_VIEW, async ({ ack, body }) => {
    const log = listenerLog(deps.services.log, 'copilot_edit_submit', body);
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
    const suggestionId = parsed.data.view.private_metadata;
    const result = await sendSuggestion(deps.services, suggestionId, parsed.data.user.id, text);
    log.info({ suggestionId, result: result.kind }, 'edited copilot suggestion send');
    if (result.kind === 'sent') await ack();
    else await ack({ response_action: 'errors', errors: { [COPILOT_INPUT_BLOCK]: result.why } });
  });
}
