// The modal Baton opened for the person acting (views.open / views.push), with its inputs,
// required-field checks and the errors Baton answers a submission with.
import { api, deliveryProblem, toast } from './api.js';
import { el, plain, renderBlocks, stateValues } from './blocks.js';
import { viewClickHandler } from './home.js';
import { ctxFor } from './people.js';
import { $, refresh, S } from './state.js';

let shownModal = '';

export function renderModal() {
  const root = $('modal-root');
  const v = S.modal;
  const fingerprint = v ? JSON.stringify(v.view) : '';
  const hidden = !v || S.dismissedModals.get(v.id) === fingerprint;
  if (hidden) {
    root.replaceChildren();
    shownModal = '';
    return;
  }
  const key = `${v.id}\u0000${fingerprint}\u0000${JSON.stringify(v.errors ?? {})}`;
  if (key === shownModal) return; // keep what the person typed
  shownModal = key;
  const inputs = new Map();
  const errors = { ...(v.errors ?? {}), ...(S.modalErrors[v.id] ?? {}) };
  const can = S.workspace?.viewButtons;
  const ctx = {
    ...ctxFor(
      can ? viewClickHandler(v.id) : null,
      can ? undefined : 'Buttons in modals aren’t supported by this local workspace yet',
    ),
    inputs,
    errors,
  };
  const overlay = el('div', 'modal-overlay');
  const dialog = el('form', 'modal');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.noValidate = true;
  const head = el('div', 'modal-head');
  const title = el('h2', 'modal-title', plain(v.view.title) || 'Baton');
  dialog.setAttribute('aria-label', title.textContent);
  const x = el('button', 'icon-button', '✕');
  x.type = 'button';
  x.setAttribute('aria-label', 'Close');
  head.append(title, x);
  const body = el('div', 'modal-body');
  body.append(renderBlocks(v.view.blocks ?? [], ctx));
  const foot = el('div', 'modal-foot');
  const cancel = el('button', 'bk-button', plain(v.view.close) || 'Cancel');
  cancel.type = 'button';
  foot.append(cancel);
  if (v.view.submit) {
    const submit = el('button', 'bk-button bk-primary', plain(v.view.submit));
    submit.type = 'submit';
    foot.append(submit);
  }
  const close = () => {
    S.dismissedModals.set(v.id, fingerprint);
    renderModal();
  };
  x.addEventListener('click', close);
  cancel.addEventListener('click', close);
  overlay.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  dialog.addEventListener('submit', async (e) => {
    e.preventDefault();
    const missing = {};
    for (const { block, control } of inputs.values()) {
      if (!block.optional && !control.value.trim())
        missing[block.block_id] = 'Please complete this required field.';
    }
    if (Object.keys(missing).length > 0) {
      S.modalErrors[v.id] = missing;
      shownModal = '';
      renderModal();
      return;
    }
    delete S.modalErrors[v.id];
    foot.querySelectorAll('button').forEach((b) => {
      b.disabled = true;
    });
    try {
      const r = await api('/ui/submit-view', { user: S.user, viewId: v.id, values: stateValues(inputs) });
      const ack = parseAck(r.delivery.body);
      if (!r.delivery.ok) {
        toast(deliveryProblem(r.delivery, 'Submit'));
      } else if (ack?.response_action === 'errors') {
        S.modalErrors[v.id] = ack.errors ?? {};
        shownModal = '';
      } else {
        S.dismissedModals.set(v.id, fingerprint);
      }
    } catch (err) {
      toast(err.message);
    }
    shownModal = '';
    await refresh();
  });
  dialog.append(head, body, foot);
  overlay.append(dialog);
  root.replaceChildren(overlay);
  queueMicrotask(() => dialog.querySelector('input, textarea, select')?.focus());
}

function parseAck(body) {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}
