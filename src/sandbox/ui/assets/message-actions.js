// What a person can do to a message from its hover menu: reply in a thread, and edit or
// delete their own messages (the inline editor lives here too).
import { api, deliveryProblem, toast } from './api.js';
import { el } from './blocks.js';
import { encodeOutgoing, toEditable } from './mrkdwn.js';
import { directory, isBotMessage } from './people.js';
import { openThread } from './routing.js';
import { refresh, rerender, S } from './state.js';

function canChange(m) {
  return !isBotMessage(m) && m.user === S.user;
}

export function editor(m) {
  const form = el('form', 'msg-editor');
  const input = el('textarea', 'msg-editor-input');
  input.value = S.editing.draft;
  input.addEventListener('input', () => {
    S.editing.draft = input.value;
  });
  const save = el('button', 'bk-button bk-primary', 'Save');
  save.type = 'submit';
  const cancel = el('button', 'bk-button', 'Cancel');
  cancel.type = 'button';
  cancel.addEventListener('click', () => {
    S.editing = null;
    rerender();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel.click();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    try {
      const edit = { user: S.user, channel: m.channel, ts: m.ts, text: encodeOutgoing(text, directory()) };
      const r = await api('/ui/edit', edit);
      S.editing = null;
      const problem = deliveryProblem(r.delivery, 'Edit saved');
      if (problem) toast(problem, 'warn');
      await refresh();
    } catch (err) {
      toast(err.message);
    }
  });
  const row = el('div', 'msg-editor-buttons');
  row.append(cancel, save);
  form.append(input, row);
  queueMicrotask(() => {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  return form;
}

export function hoverMenu(m, inThread) {
  const menu = el('div', 'msg-hover');
  if (!inThread && !m.ephemeral) {
    const reply = el('button', 'hover-btn', '💬');
    reply.type = 'button';
    reply.title = 'Reply in thread';
    reply.addEventListener('click', () => openThread(m.channel, m.ts));
    menu.append(reply);
  }
  if (canChange(m)) {
    const edit = el('button', 'hover-btn', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => {
      S.editing = { ts: m.ts, draft: toEditable(m.text, directory()) };
      rerender();
    });
    const del = el('button', 'hover-btn hover-danger', 'Delete');
    del.type = 'button';
    del.addEventListener('click', async () => {
      if (!window.confirm('Delete this message? This can’t be undone.')) return;
      try {
        await api('/ui/delete', { user: S.user, channel: m.channel, ts: m.ts });
        await refresh();
      } catch (err) {
        toast(err.message);
      }
    });
    menu.append(edit, del);
  }
  return menu.childElementCount > 0 ? menu : null;
}
