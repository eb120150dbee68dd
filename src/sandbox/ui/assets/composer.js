// The two composers (channel and thread reply): plain messages are posted as the person
// acting, a line starting with /command runs that slash command against Baton.
import { api, deliveryProblem, toast } from './api.js';
import { encodeOutgoing, escapeText } from './mrkdwn.js';
import { directory } from './people.js';
import { defaultChannel, refresh, S } from './state.js';

function autoresize(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
}

export function wireComposer(form, input, threadTs) {
  input.addEventListener('input', () => autoresize(input));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim() || !S.user) return;
    const channel = S.route.channel || defaultChannel();
    const thread = threadTs();
    input.disabled = true;
    try {
      if (/^\/[a-z0-9_-]+(\s|$)/i.test(text.trim())) {
        await runCommand(channel, text.trim(), thread);
      } else {
        const r = await api('/ui/post', {
          user: S.user,
          channel,
          text: encodeOutgoing(text, directory()),
          ...(thread ? { threadTs: thread } : {}),
        });
        const problem = deliveryProblem(r.delivery, 'Message posted');
        if (problem) toast(problem, 'warn');
      }
      input.value = '';
      autoresize(input);
      await refresh();
    } catch (err) {
      toast(err.message);
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
}

async function runCommand(channel, line, thread) {
  const r = await api('/ui/command', {
    user: S.user,
    channel,
    text: escapeText(line),
    ...(thread ? { threadTs: thread } : {}),
  });
  if (r.delivery.ok) return;
  const why = r.delivery.error ? r.delivery.error.replaceAll('_', ' ') : `status ${r.delivery.status}`;
  S.notes.push({
    ts: (Date.now() / 1000).toFixed(6),
    channel,
    user: S.workspace?.botUserId ?? '',
    text: `\`${r.command}\` failed: Baton didn't respond (${why}).`,
    local: true,
    ...(thread ? { thread_ts: thread } : {}),
  });
}
