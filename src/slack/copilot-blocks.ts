import type { ContextBlock, KnownBlock, ModalView } from '@slack/types';
import type { ArticleRef } from '../conversation/assistant.js';
import type { Suggestion } from '../handoff/suggestion-repository.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { quoteUntrusted } from './untrusted-mrkdwn.js';

export const COPILOT_SEND = 'baton_copilot_send';
export const COPILOT_EDIT = 'baton_copilot_edit';
export const COPILOT_DISMISS = 'baton_copilot_dismiss';
export const COPILOT_EDIT_VIEW = 'baton_copilot_edit_view';
export const COPILOT_INPUT_BLOCK = 'reply';
export const COPILOT_INPUT_ACTION = 'text';

const link = (a: ArticleRef) =>
  a.url && /^https?:\/\/[^\s|<>]+$/.test(a.url)
    ? `<${a.url}|${escapeMrkdwn(a.title)}>`
    : escapeMrkdwn(a.title);

/**
 * The suggestion for the claiming agent, sent to their direct messages with Baton (a message that
 * lasts, unlike an ephemeral one): Send, Edit, Dismiss, and a link back to the conversation's thread.
 */
export function buildSuggestionBlocks(
  s: Suggestion,
  threadLink?: string,
): { text: string; blocks: KnownBlock[] } {
  const sources = s.articles.slice(0, 3).map(link).join(' · ');
  const from: ContextBlock[] = sources
    ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`From ${sources}`, 2000) }] }]
    : [];
  const forWhat =
    threadLink && /^https?:\/\/[^\s|<>]+$/.test(threadLink)
      ? `for <${threadLink}|the conversation you claimed>`
      : 'for the conversation you claimed';
  return {
    text: `Suggested reply ${forWhat.replace(/<[^|]*\|([^>]*)>/, '$1')}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:bulb: *Suggested reply* ${forWhat}\n${quoteUntrusted(s.text, 2800)}`,
          verbatim: true,
        },
      },
      ...from,
      {
        type: 'actions',
        block_id: 'copilot_actions',
        elements: [
          {
            type: 'button',
            action_id: COPILOT_SEND,
            style: 'primary',
            text: { type: 'plain_text', text: 'Send' },
            value: s.id,
          },
          {
            type: 'button',
            action_id: COPILOT_EDIT,
            text: { type: 'plain_text', text: 'Edit' },
            value: s.id,
          },
          {
            type: 'button',
            action_id: COPILOT_DISMISS,
            text: { type: 'plain_text', text: 'Dismiss' },
            value: s.id,
          },
        ],
      },
    ],
  };
}

/** The Edit modal, pre-filled with the suggestion; the suggestion id rides in private_metadata. */
export function buildEditView(s: Suggestion): ModalView {
  return {
    type: 'modal',
    callback_id: COPILOT_EDIT_VIEW,
    private_metadata: s.id,
    title: { type: 'plain_text', text: 'Edit reply' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: COPILOT_INPUT_BLOCK,
        label: { type: 'plain_text', text: 'Reply to the customer' },
        element: {
          type: 'plain_text_input',
          action_id: COPILOT_INPUT_ACTION,
          multiline: true,
          max_length: 3000,
          initial_value: s.text.slice(0, 3000),
        },
      },
    ],
  };
}
