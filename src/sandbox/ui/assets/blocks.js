// Block Kit and mrkdwn → DOM. Everything from a message goes in through textContent
// or setAttribute on known-safe attributes; nothing here ever assigns innerHTML.
import { isSafeUrl, parseMrkdwn } from './mrkdwn.js';

/**
 * @typedef {object} RenderContext
 * @property {(id: string) => string} userName      display name for <@U…>
 * @property {(id: string) => string} channelName   name for <#C…>
 * @property {((el: object, blockId: string | undefined) => Promise<void>) | null} onButton
 * @property {string} [buttonsDisabled]             tooltip when buttons can't be used here
 * @property {Map<string, object>} [inputs]         filled by input blocks (modals)
 * @property {Record<string, string>} [errors]      block_id → error message (modals)
 */

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function appendTokens(parent, tokens, ctx) {
  for (const t of tokens) parent.append(tokenNode(t, ctx));
  return parent;
}

function tokenNode(t, ctx) {
  switch (t.type) {
    case 'text':
      return document.createTextNode(t.text);
    case 'br':
      return el('br');
    case 'bold':
      return appendTokens(el('strong'), t.children, ctx);
    case 'italic':
      return appendTokens(el('em'), t.children, ctx);
    case 'strike':
      return appendTokens(el('s'), t.children, ctx);
    case 'code':
      return el('code', 'md-code', t.text);
    case 'pre':
      return el('pre', 'md-pre', t.text);
    case 'quote':
      return appendTokens(el('blockquote', 'md-quote'), t.children, ctx);
    case 'link':
      return link(t.url, t.text);
    case 'user':
      return el('span', 'mention', `@${t.label || ctx.userName(t.id)}`);
    case 'channel':
      return el('span', 'mention channel-mention', `#${t.label || ctx.channelName(t.id)}`);
    case 'broadcast':
      return el('span', 'mention broadcast', `@${t.name}`);
    case 'usergroup':
      return el('span', 'mention', t.label);
    default:
      return document.createTextNode('');
  }
}

export function link(url, text) {
  if (!isSafeUrl(url)) return document.createTextNode(text || String(url ?? ''));
  const a = el('a', 'md-link', text || url);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** mrkdwn string → element with the rendered tokens. */
export function renderMrkdwn(text, ctx, className = 'md') {
  return appendTokens(el('div', className), parseMrkdwn(text ?? ''), ctx);
}

/** A Block Kit text object (plain_text or mrkdwn). */
export function renderText(obj, ctx, className) {
  if (!obj) return el('div', className);
  if (typeof obj === 'string') return renderMrkdwn(obj, ctx, className);
  // `verbatim: true` only stops Slack from linking bare URLs and names by itself (which this view never
  // does); the text is still mrkdwn.
  if (obj.type === 'mrkdwn') return renderMrkdwn(obj.text, ctx, className);
  return el('div', className, obj.text ?? '');
}

export function plain(obj) {
  if (!obj) return '';
  return typeof obj === 'string' ? obj : String(obj.text ?? '');
}

function image(url, alt, className) {
  if (!isSafeUrl(url)) return el('span', `${className} img-missing`, alt || 'image');
  const img = el('img', className);
  img.src = url;
  img.alt = alt || '';
  img.loading = 'lazy';
  img.referrerPolicy = 'no-referrer';
  return img;
}

function button(element, blockId, ctx) {
  const b = el('button', `bk-button${element.style ? ` bk-${element.style}` : ''}`, plain(element.text));
  b.type = 'button';
  b.dataset.actionId = element.action_id ?? '';
  if (!ctx.onButton || ctx.buttonsDisabled) {
    b.disabled = true;
    b.title = ctx.buttonsDisabled || 'Buttons are not available here';
    return b;
  }
  b.addEventListener('click', async () => {
    if (element.confirm && !window.confirm(confirmText(element.confirm))) return;
    if (element.url && isSafeUrl(element.url)) window.open(element.url, '_blank', 'noopener,noreferrer');
    b.disabled = true;
    b.classList.add('busy');
    try {
      await ctx.onButton(element, blockId);
    } finally {
      b.disabled = false;
      b.classList.remove('busy');
    }
  });
  return b;
}

function confirmText(c) {
  return [plain(c.title), plain(c.text)].filter(Boolean).join('\n\n') || 'Are you sure?';
}

function unsupported(what) {
  const span = el('span', 'bk-unsupported', what);
  span.title = 'Not supported by the local workspace view';
  return span;
}

function element(e, blockId, ctx) {
  if (!e || typeof e !== 'object') return el('span');
  if (e.type === 'button') return button(e, blockId, ctx);
  if (e.type === 'image') return image(e.image_url, e.alt_text, 'bk-accessory-image');
  return unsupported(`[${e.type}]`);
}

const RT_STYLE = [
  ['code', 'code', 'md-code'],
  ['bold', 'strong'],
  ['italic', 'em'],
  ['strike', 's'],
];

function richInline(e, ctx) {
  let node;
  switch (e.type) {
    case 'text':
      node = document.createTextNode(e.text ?? '');
      break;
    case 'link':
      node = link(e.url, e.text || e.url);
      break;
    case 'user':
      node = el('span', 'mention', `@${ctx.userName(e.user_id)}`);
      break;
    case 'channel':
      node = el('span', 'mention channel-mention', `#${ctx.channelName(e.channel_id)}`);
      break;
    case 'broadcast':
      node = el('span', 'mention broadcast', `@${e.range}`);
      break;
    case 'emoji':
      node = document.createTextNode(e.unicode ? String.fromCodePoint(...hex(e.unicode)) : `:${e.name}:`);
      break;
    default:
      node = document.createTextNode('');
  }
  for (const [key, tag, cls] of RT_STYLE) {
    if (e.style?.[key]) {
      const wrap = el(tag, cls);
      wrap.append(node);
      node = wrap;
    }
  }
  return node;
}

function hex(unicode) {
  return String(unicode)
    .split('-')
    .map((h) => Number.parseInt(h, 16))
    .filter((n) => Number.isFinite(n) && n > 0 && n <= 0x10ffff);
}

function richSection(sec, ctx) {
  const elements = Array.isArray(sec.elements) ? sec.elements : [];
  switch (sec.type) {
    case 'rich_text_section': {
      const div = el('div', 'rt-section');
      for (const e of elements) div.append(richInline(e, ctx));
      return div;
    }
    case 'rich_text_preformatted': {
      const pre = el('pre', 'md-pre');
      for (const e of elements) pre.append(richInline({ ...e, style: undefined }, ctx));
      return pre;
    }
    case 'rich_text_quote': {
      const q = el('blockquote', 'md-quote');
      for (const e of elements) q.append(richInline(e, ctx));
      return q;
    }
    case 'rich_text_list': {
      const list = el(sec.style === 'ordered' ? 'ol' : 'ul', 'rt-list');
      for (const item of elements) {
        const li = el('li');
        li.append(richSection(item, ctx));
        list.append(li);
      }
      return list;
    }
    default:
      return unsupported(`[${sec.type}]`);
  }
}

function inputBlock(block, ctx) {
  const wrap = el('div', 'bk-input');
  const e = block.element ?? {};
  const id = `in-${block.block_id}-${e.action_id}`;
  const label = el('label', 'bk-input-label', plain(block.label));
  label.htmlFor = id;
  if (block.optional) label.append(el('span', 'bk-optional', ' (optional)'));
  wrap.append(label);
  let control;
  if (e.type === 'plain_text_input') {
    control = el(e.multiline ? 'textarea' : 'input', 'bk-text-input');
    if (!e.multiline) control.type = 'text';
    control.value = e.initial_value ?? '';
    if (e.placeholder) control.placeholder = plain(e.placeholder);
    if (e.max_length) control.maxLength = e.max_length;
  } else if (e.type === 'static_select') {
    control = el('select', 'bk-select');
    control.append(el('option', '', plain(e.placeholder) || 'Choose…'));
    control.firstChild.value = '';
    for (const o of e.options ?? []) {
      const opt = el('option', '', plain(o.text));
      opt.value = o.value ?? '';
      if (e.initial_option?.value === o.value) opt.selected = true;
      control.append(opt);
    }
  } else {
    wrap.append(unsupported(`[${e.type}]`));
    return wrap;
  }
  control.id = id;
  if (!block.optional) control.required = true;
  wrap.append(control);
  if (block.hint) wrap.append(el('div', 'bk-hint', plain(block.hint)));
  const error = ctx.errors?.[block.block_id];
  if (error) wrap.append(el('div', 'bk-error', error));
  ctx.inputs?.set(`${block.block_id}\u0000${e.action_id}`, { block, element: e, control });
  return wrap;
}

/** One Block Kit block → element. */
export function renderBlock(block, ctx) {
  const blockId = block.block_id;
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', plain(block.text));
    case 'divider':
      return el('hr', 'bk-divider');
    case 'section': {
      const sec = el('div', 'bk-section');
      const body = el('div', 'bk-section-body');
      if (block.text) body.append(renderText(block.text, ctx, 'bk-section-text md'));
      if (Array.isArray(block.fields) && block.fields.length > 0) {
        const grid = el('div', 'bk-fields');
        for (const f of block.fields) grid.append(renderText(f, ctx, 'bk-field md'));
        body.append(grid);
      }
      sec.append(body);
      if (block.accessory) {
        const acc = el('div', 'bk-accessory');
        acc.append(element(block.accessory, blockId, ctx));
        sec.append(acc);
      }
      return sec;
    }
    case 'context': {
      const row = el('div', 'bk-context');
      for (const e of block.elements ?? []) {
        row.append(
          e.type === 'image' ? image(e.image_url, e.alt_text, 'bk-context-image') : renderText(e, ctx, 'md'),
        );
      }
      return row;
    }
    case 'actions': {
      const row = el('div', 'bk-actions');
      for (const e of block.elements ?? []) row.append(element(e, blockId, ctx));
      return row;
    }
    case 'image': {
      const fig = el('figure', 'bk-image');
      if (block.title) fig.append(el('figcaption', '', plain(block.title)));
      fig.append(image(block.image_url, block.alt_text, 'bk-image-img'));
      return fig;
    }
    case 'rich_text': {
      const div = el('div', 'bk-rich md');
      for (const sec of block.elements ?? []) div.append(richSection(sec, ctx));
      return div;
    }
    case 'input':
      return inputBlock(block, ctx);
    default:
      return unsupported(`[${block.type} block]`);
  }
}

export function renderBlocks(blocks, ctx) {
  const wrap = el('div', 'bk');
  for (const b of blocks) {
    if (b && typeof b === 'object') wrap.append(renderBlock(b, ctx));
  }
  return wrap;
}

/** Slack's view.state.values from the inputs a modal rendered. */
export function stateValues(inputs) {
  const values = {};
  for (const { block, element: e, control } of inputs.values()) {
    const v = e.type === 'static_select' ? selectValue(e, control) : { type: e.type, value: control.value };
    values[block.block_id] ??= {};
    values[block.block_id][e.action_id] = v;
  }
  return values;
}

function selectValue(e, control) {
  const chosen = (e.options ?? []).find((o) => o.value === control.value);
  return {
    type: 'static_select',
    selected_option: chosen ? { text: chosen.text, value: chosen.value } : null,
  };
}
