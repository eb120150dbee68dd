// Baton chat widget loader: the one tag a shop pastes into its pages.
//   <script src="https://<baton>/widget.js" data-baton-title="Northwind support" async></script>
// It draws a launcher in a Shadow DOM and, on first open, an <iframe> of the Baton chat page
// (`/?embed=1`). The iframe keeps the conversation, its token and its stream in the Baton origin,
// out of reach of the host page's scripts and CSS; the page is the one client to maintain.
// A classic script in an IIFE: top-level names would otherwise become globals of the host page.
(() => {
  // The shop's stub (`Baton.q`, see docs/widget.md) is replaced; a real widget, pasted twice, is kept.
  const stub = window.Baton;
  if (stub && stub.baton === 1) return;
  const script = document.currentScript ?? document.querySelector('script[src$="/widget.js"]') ?? undefined;
  if (!(script instanceof HTMLScriptElement)) return;
  const origin = new URL(script.src, location.href).origin;
  const data = script.dataset;
  // Its own few strings: a classic script cannot import the page's catalogue (messages.js). The same
  // choice goes to the page as `?lang=`, so a `data-baton-lang` the browser cannot know reaches it.
  const strings = {
    en: {
      title: 'Chat with us',
      label: 'Chat',
      close: 'Close chat',
      unread1: '1 unread message',
      unread: '{n} unread messages',
    },
    de: {
      title: 'Schreiben Sie uns',
      label: 'Chat',
      close: 'Chat schließen',
      unread1: '1 ungelesene Nachricht',
      unread: '{n} ungelesene Nachrichten',
    },
  };
  const lang =
    [...(data.batonLang ? [data.batonLang] : (navigator.languages ?? []))]
      .map((tag) => String(tag).trim().toLowerCase().split(/[-_]/)[0])
      .find((primary) => Object.hasOwn(strings, primary)) ?? 'en';
  const t = strings[lang];
  // The look: the tag's data attributes, else the admin's settings (`/baton widget`), else defaults.
  // The tag wins so a shop can override one page.
  const tagColor = data.batonColor && CSS.supports('color', data.batonColor) ? data.batonColor : undefined;
  const tagSide =
    data.batonPosition === 'left' || data.batonPosition === 'right' ? data.batonPosition : undefined;
  // The admin's settings, written into this file by Baton as it sends it (widget-script-route.ts): the
  // launcher is drawn right the first time, with no request of its own and nothing to wait for. `null`
  // when the file is served as it is. Each value is checked again all the same: CSS and text go
  // into the page, and this script trusts no input blindly.
  const served = /* @baton:served-config */ null;
  const admin = served && typeof served === 'object' ? served : {};
  const HEX = /^#[0-9a-f]{6}$/i;
  const fits = (v, max) => typeof v === 'string' && v.trim() !== '' && v.length <= max;
  const title = data.batonTitle || (fits(admin.title, 60) ? admin.title.trim() : t.title);
  const label = data.batonLabel || (fits(admin.launcherLabel, 30) ? admin.launcherLabel.trim() : t.label);
  const side =
    tagSide ?? (admin.position === 'left' || admin.position === 'right' ? admin.position : 'right');
  const color =
    tagColor ?? (typeof admin.color === 'string' && HEX.test(admin.color) ? admin.color : '#1f5fbf');

  // `!important` inside the shadow tree beats the host's `!important` on the host element (the shadow
  // context wins for important declarations), so `* { all: unset !important }` cannot undo these.
  const css = (side) => `
:host { all: initial !important; display: block !important; position: fixed !important;
  z-index: 2147483000 !important; inset: auto !important; width: 0 !important; height: 0 !important; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }
[hidden] { display: none !important; }
.launcher { position: fixed; bottom: 20px; ${side}: 20px; display: flex; align-items: center; gap: 8px;
  min-height: 52px; padding: 0 20px 0 16px; border: 0; border-radius: 26px; cursor: pointer;
  background: var(--baton-color); color: var(--baton-ink); font-size: 16px; font-weight: 600; line-height: 1;
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.22); transition: transform 0.15s ease; }
.launcher:hover { transform: translateY(-2px); }
.launcher:focus-visible, .close:focus-visible { outline: 3px solid #f5a524; outline-offset: 2px; }
.launcher svg { width: 22px; height: 22px; }
.launcher[aria-expanded='false'] svg + svg, .launcher[aria-expanded='true'] svg:first-child { display: none; }
.badge { position: absolute; top: -6px; ${side === 'right' ? 'left' : 'right'}: -6px; min-width: 22px;
  height: 22px; padding: 0 6px; border-radius: 11px; background: #b42318; color: #fff; font-size: 12px;
  font-weight: 700; line-height: 22px; text-align: center; box-shadow: 0 0 0 2px #fff; }
.panel { position: fixed; bottom: 88px; ${side}: 20px; display: flex; flex-direction: column;
  width: 390px; height: min(640px, calc(100vh - 108px)); border-radius: 16px; overflow: hidden;
  background: #fff; box-shadow: 0 12px 48px rgb(0 0 0 / 0.28); animation: rise 0.18s ease-out; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 4px 6px 4px 14px;
  background: var(--baton-color); color: var(--baton-ink); font-size: 13px; font-weight: 600; }
.close { display: grid; place-items: center; width: 32px; height: 32px; border: 0; border-radius: 8px;
  background: transparent; color: inherit; cursor: pointer; }
.close:hover { background: color-mix(in srgb, currentColor 16%, transparent); }
iframe { flex: 1; width: 100%; border: 0; display: block; background: #fff; }
@keyframes rise { from { opacity: 0; transform: translateY(12px); } }
@media (max-width: 480px) {
  .panel { inset: 0; width: auto; height: auto; border-radius: 0; }
  .panel:not([hidden]) ~ .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) { .panel { animation: none; } .launcher { transition: none; } }`;
  const chatIcon =
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z"/></svg>';
  const closeIcon =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg>';

  const host = document.createElement('baton-widget');
  // Open, not closed: a closed root hides nothing from a host script (it could patch attachShadow
  // first) and would hide the widget from accessibility and test tooling. Isolation is the CSS scope.
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css(side)); // constructed sheets are not inline <style>: a host CSP `style-src` allows them
  root.adoptedStyleSheets = [sheet];
  const wrap = document.createElement('div');
  wrap.innerHTML =
    `<section class="panel" role="dialog" aria-label="" hidden><div class="bar"><span class="title"></span>` +
    `<button class="close" type="button">${closeIcon}</button></div></section>` +
    `<button class="launcher" type="button" aria-expanded="false">${chatIcon}${closeIcon}<span class="label"></span>` +
    `<span class="badge" hidden></span></button>`;
  root.append(wrap);
  const $ = (sel) => /** @type {HTMLElement} */ (root.querySelector(sel));
  const panel = $('.panel');
  const launcher = $('.launcher');
  const badge = $('.badge');
  $('.close').setAttribute('aria-label', t.close);

  /** @type {Record<string, Set<(detail: unknown) => void>>} */
  const listeners = { message: new Set(), open: new Set(), close: new Set(), unread: new Set() };
  // A shop's listener that throws must not stop the widget mid-update: its error is rethrown apart.
  const emit = (event, detail) =>
    listeners[event].forEach((fn) => {
      try {
        fn(detail);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    });
  let frame = /** @type {HTMLIFrameElement | null} */ (null);
  let ready = false; // the page has answered hello: messages can go to it
  let unread = 0;
  const context = { pageUrl: location.href, customer: {}, fields: {} };
  // Only used when the chat page cannot use its own storage (see embed.js): its session, kept here.
  const keptKey = `baton.session ${origin}`;
  const kept = {
    get() {
      try {
        return JSON.parse(sessionStorage.getItem(keptKey) ?? 'null');
      } catch {
        return null;
      }
    },
    set(session) {
      try {
        if (session) sessionStorage.setItem(keptKey, JSON.stringify(session));
        else sessionStorage.removeItem(keptKey);
      } catch {
        // the shop's storage is blocked too: the conversation lasts as long as this page
      }
    },
  };

  /** Everything goes to the Baton origin only, never `*`: another page in the frame gets nothing. */
  const post = (msg) => ready && frame?.contentWindow?.postMessage({ baton: 1, ...msg }, origin);
  const sendContext = () => post({ kind: 'context', ...context });

  function nameLauncher() {
    const count = unread === 1 ? t.unread1 : t.unread.replace('{n}', String(unread));
    launcher.setAttribute('aria-label', unread ? `${label}, ${count}` : label);
  }
  function setUnread(n) {
    unread = n;
    badge.hidden = n === 0;
    badge.textContent = n > 9 ? '9+' : String(n);
    nameLauncher();
    emit('unread', n);
  }

  /** The colour as `#rrggbb` for the framed page (which takes nothing else), via the canvas's parser. */
  function hexOf(value) {
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = '#1f5fbf';
    ctx.fillStyle = value;
    return HEX.test(ctx.fillStyle) ? ctx.fillStyle : undefined;
  }
  const theme = () => ({ color: hexOf(color), title });
  // WCAG 2.x relative luminance, a copy of colour-contrast.js (the chat page imports it; a classic
  // script cannot). The server refuses an admin's colour under 4.5:1 for white text, but a tag's
  // `data-baton-color` arrives unchecked: on a light one the text turns dark when that reads better.
  function inkOn(hex) {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    const l = 0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05;
    return 1.05 / l >= 4.5 || 1.05 / l >= l / 0.0556 ? '#fff' : '#111'; // 0.0556: #111's luminance + 0.05
  }

  /** Puts the look on the launcher and the panel; the frame gets it in its address and its hello. */
  function paint() {
    wrap.style.setProperty('--baton-color', color); // CSSOM, not a style attribute: CSP-safe
    const hex = hexOf(color);
    wrap.style.setProperty('--baton-ink', hex ? inkOn(hex) : '#fff');
    sheet.replaceSync(css(side));
    $('.label').textContent = label;
    $('.title').textContent = title;
    panel.setAttribute('aria-label', title);
    nameLauncher();
  }
  setUnread(0);
  paint();

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.title = title;
    // The colour in the address too, so the page paints in it at once (it checks it is `#rrggbb`).
    const hex = hexOf(color);
    frame.src = `${origin}/?embed=1&lang=${lang}${hex ? `&color=${encodeURIComponent(hex)}` : ''}`;
    frame.allow = 'clipboard-write';
    // Module scripts run before `load`, so the page is listening by then; hello tells it our origin.
    frame.addEventListener('load', () => {
      ready = false;
      const hello = { baton: 1, kind: 'hello', session: kept.get(), theme: theme() };
      frame?.contentWindow?.postMessage(hello, origin);
    });
    panel.append(frame);
  }

  window.addEventListener('message', (event) => {
    // Only the Baton page in our own frame may speak to the widget.
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    const msg = event.data;
    if (!msg || msg.baton !== 1 || typeof msg.kind !== 'string') return;
    if (msg.kind === 'ready') {
      ready = true;
      sendContext();
      if (!panel.hidden) post({ kind: 'focus' });
    } else if (msg.kind === 'message') {
      if (panel.hidden) setUnread(unread + 1);
      emit('message', msg.message);
    } else if (msg.kind === 'session') kept.set(msg.session);
    else if (msg.kind === 'close') close();
  });

  function open() {
    if (!panel.hidden) return;
    ensureFrame();
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    setUnread(0);
    frame?.focus();
    post({ kind: 'focus' });
    emit('open');
  }
  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
    emit('close');
  }
  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  $('.close').addEventListener('click', close);
  // Escape inside the iframe reaches the page, which asks us to close; this covers our own controls.
  root.addEventListener('keydown', (e) => {
    if (/** @type {KeyboardEvent} */ (e).key === 'Escape') close();
  });

  const text = (v, max) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);
  const api = {
    open,
    close,
    /** The signed-in shopper, for the handoff card; used when the conversation is created. */
    identify({ name, email } = {}) {
      context.customer = { name: text(name, 100), email: text(email, 254) };
      sendContext();
    },
    /** `pageUrl` replaces the page's address; any other key is a custom field on the card. */
    setFields(fields = {}) {
      for (const [k, v] of Object.entries(fields)) {
        if (k === 'pageUrl') context.pageUrl = text(v, 2000) ?? context.pageUrl;
        else if (text(k, 64) && v != null) context.fields[k.trim().slice(0, 64)] = String(v).slice(0, 500);
      }
      sendContext();
    },
    on(event, fn) {
      if (typeof fn !== 'function') return () => false;
      listeners[event]?.add(fn);
      return () => listeners[event]?.delete(fn);
    },
  };
  // `Baton('open')` as well as `Baton.open()`: the stub's call style keeps working once we are here.
  const call = (name, ...args) => (Object.hasOwn(api, name) ? api[name](...args) : undefined);
  window.Baton = Object.freeze(Object.assign(call, api, { baton: 1 }));

  // For shops whose CSP forbids inline scripts: the tag alone says who the shopper is and what goes
  // on the card (`data-baton-name`, `-email`, `-field-<key>`, `-open`), rendered by the shop's server.
  if (data.batonName || data.batonEmail) api.identify({ name: data.batonName, email: data.batonEmail });
  const tagFields = Object.entries(data).filter(([k]) => /^batonField./.test(k));
  if (tagFields.length) {
    const key = (k) => k.charAt(10).toLowerCase() + k.slice(11); // batonFieldCartId -> cartId
    api.setFields(Object.fromEntries(tagFields.map(([k, v]) => [key(k), v])));
  }
  (document.body ?? document.documentElement).append(host);
  // Calls the shop's stub queued before this script loaded, replayed in the order they were made (a
  // queued `on('open', …)` before `open` hears it). One that throws must not stop the rest.
  const queued = typeof stub === 'function' && Array.isArray(stub.q) ? stub.q : [];
  for (const args of queued) {
    try {
      call(...Array.from(args));
    } catch (err) {
      setTimeout(() => {
        throw err;
      });
    }
  }
  if (data.batonOpen !== undefined && data.batonOpen !== 'false') open();
})();
