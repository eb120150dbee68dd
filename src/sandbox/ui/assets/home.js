// App Home: the view Baton publishes for the person acting, and clicks on buttons in views
// (App Home and modals).
import { api, deliveryProblem, toast } from './api.js';
import { el, plain, renderBlocks } from './blocks.js';
import { ctxFor } from './people.js';
import { renderSidebar } from './sidebar.js';
import { $, refresh, S } from './state.js';

/** Opens App Home like Slack does (Baton gets app_home_opened), then shows what it published. */
export async function openHome() {
  if (!S.user) return;
  renderSidebar();
  $('main-title').textContent = 'Baton';
  $('main-sub').textContent = 'App Home';
  try {
    const r = await api('/ui/home', { user: S.user });
    S.home = r.view;
    const problem = deliveryProblem(r.delivery, 'Opening App Home');
    if (problem) toast(problem, 'warn');
  } catch (err) {
    toast(err.message);
  }
  await refresh();
}

export function viewClickHandler(viewId) {
  return async (element) => {
    try {
      const r = await api('/ui/click-view', { user: S.user, viewId, actionId: element.action_id });
      const problem = deliveryProblem(r.delivery, `“${plain(element.text)}”`);
      if (problem) toast(problem);
    } catch (err) {
      toast(err.message);
    }
  };
}

export function renderHome() {
  renderSidebar();
  $('main-title').textContent = 'Baton';
  $('main-sub').textContent = 'App Home';
  const box = $('home');
  const v = S.home;
  if (!v) {
    box.replaceChildren(el('div', 'empty', 'Baton hasn’t published an App Home for you yet.'));
    return;
  }
  const can = S.workspace?.viewButtons;
  const ctx = ctxFor(
    can ? viewClickHandler(v.id) : null,
    can ? undefined : 'Buttons in App Home aren’t supported by this local workspace yet',
  );
  const card = el('div', 'home-card');
  card.append(renderBlocks(v.view.blocks ?? [], ctx));
  box.replaceChildren(card);
}
