// One message row: avatar or time, author, content (Block Kit or mrkdwn), "(edited)", reactions, the
// reply bar under a thread root, and the ephemeral rows only the person acting sees.
import { api, deliveryProblem, toast } from './api.js';
import { el, plain, renderBlocks, renderMrkdwn } from './blocks.js';
import { editor, hoverMenu } from './message-actions.js';
import { avatar, ctxFor, isBotMessage, userName } from './people.js';
import { reactionBar } from './reactions.js';
import { openThread } from './routing.js';
import { rerender, S } from './state.js';

export function tsDate(ts) {
  return new Date(Number.parseFloat(ts) * 1000);
}

function timeEl(ts) {
  const d = tsDate(ts);
  const t = el('time', 'msg-time', d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
  t.dateTime = d.toISOString();
  t.title = d.toLocaleString();
  return t;
}

/**
 * True when the blocks are just the rich_text block Slack derives from a plain `text`
 * post: then the text is the source of truth and renders as mrkdwn.
 */
function derivedFromText(blocks, text) {
  if (blocks.length !== 1 || blocks[0]?.type !== 'rich_text') return false;
  const sections = blocks[0].elements ?? [];
  if (sections.length !== 1 || sections[0]?.type !== 'rich_text_section') return false;
  const parts = sections[0].elements ?? [];
  return parts.every((e) => e.type === 'text' && !e.style) && parts.map((e) => e.text).join('') === text;
}

/** Blocks when the message has real ones, otherwise its text as mrkdwn. */
function contentOf(m, ctx) {
  if (Array.isArray(m.blocks) && m.blocks.length > 0 && !derivedFromText(m.blocks, m.text)) {
    return renderBlocks(m.blocks, ctx);
  }
  return renderMrkdwn(m.text, ctx, 'md msg-text');
}

function messageContent(m, onButton) {
  if (S.editing?.ts === m.ts) return editor(m);
  return contentOf(m, ctxFor(onButton));
}

function clickHandler(channel, messageTs, ephemeral) {
  return async (element) => {
    try {
      const body = { user: S.user, channel, messageTs, actionId: element.action_id };
      if (element.value !== undefined) body.value = String(element.value);
      if (ephemeral) body.ephemeral = true;
      const r = await api('/ui/click', body);
      const problem = deliveryProblem(r.delivery, `“${plain(element.text)}”`);
      if (problem) toast(problem);
    } catch (err) {
      toast(err.message);
    }
  };
}

/** One message row. opts: {inThread, grouped, highlight} */
export function messageRow(m, opts = {}) {
  const bot = isBotMessage(m);
  const row = el('div', `msg${opts.grouped ? ' grouped' : ''}${opts.highlight ? ' highlight' : ''}`);
  row.dataset.ts = m.ts;
  const gutter = el('div', 'msg-gutter');
  if (opts.grouped) gutter.append(timeEl(m.ts));
  else gutter.append(avatar(m.user, bot));
  const body = el('div', 'msg-body');
  if (!opts.grouped) {
    const meta = el('div', 'msg-meta');
    meta.append(el('span', 'msg-author', bot ? 'Baton' : userName(m.user)));
    if (bot) meta.append(el('span', 'app-badge', 'APP'));
    meta.append(timeEl(m.ts));
    body.append(meta);
  }
  body.append(messageContent(m, clickHandler(m.channel, m.ts, false)));
  // Slack shows "(edited)" for people's edits, not for an app updating its own message.
  if (m.edited && !bot && S.editing?.ts !== m.ts) body.append(el('span', 'edited', '(edited)'));
  const reactions = reactionBar(m);
  if (reactions) body.append(reactions);
  if (!opts.inThread && m.replyCount > 0) body.append(replyBar(m));
  row.append(gutter, body);
  const hover = hoverMenu(m, opts.inThread);
  if (hover) row.append(hover);
  return row;
}

function replyBar(m) {
  const bar = el('button', 'reply-bar');
  bar.type = 'button';
  const faces = el('span', 'reply-faces');
  for (const u of m.replyUsers ?? []) faces.append(avatar(u, u === S.workspace?.botUserId, 'xs'));
  bar.append(faces, el('span', 'reply-count', `${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}`));
  if (m.latestReply)
    bar.append(
      el(
        'span',
        'reply-last',
        `Last reply ${tsDate(m.latestReply).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}`,
      ),
    );
  bar.addEventListener('click', () => openThread(m.channel, m.ts));
  return bar;
}

export function ephemeralRow(e) {
  const row = el('div', 'msg ephemeral');
  row.dataset.ts = e.ts;
  const gutter = el('div', 'msg-gutter');
  gutter.append(avatar(e.user, true));
  const body = el('div', 'msg-body');
  const meta = el('div', 'msg-meta');
  meta.append(el('span', 'msg-author', 'Baton'), el('span', 'app-badge', 'APP'), timeEl(e.ts));
  body.append(meta);
  const onButton = e.local ? null : clickHandler(e.channel, e.ts, true);
  const ctx = ctxFor(onButton, e.local ? 'This note was made by the page, not by Baton' : undefined);
  body.append(contentOf(e, ctx));
  const foot = el('div', 'ephemeral-foot');
  foot.append(el('span', 'ephemeral-eye'), el('span', '', 'Only visible to you'));
  const dismiss = el('button', 'link-button', 'Dismiss');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => {
    S.dismissedEphemerals.add(e.ts);
    rerender();
  });
  foot.append(dismiss);
  body.append(foot);
  row.append(gutter, body);
  return row;
}
