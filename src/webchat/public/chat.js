// Baton customer chat page: wires the API client, message store and renderer
// to the DOM in index.html. Loaded as an ES module; no inline script or style.
//
// chat-state.js      DOM nodes, API client, message store, current conversation, saved session
// chat-view.js       renders the message list, header, cards and composer from that state
// conversation.js    creates, resumes and forgets the conversation
// live-updates.js    the live stream and the "Reconnecting…" banner
// composer.js        counter, sending, retries, send errors
// status-header.js   who is answering, and the "Talk to a person" button
// embed.js           `?embed=1`: the page inside the widget's iframe (widget.js) on a shop's site
// email-card.js      the queued card (leave an email)
// csat-card.js       the rating card after the conversation is resolved
// wait-line.js       while waiting for a person: the queue ahead and the usual wait
// transcript-card.js "Email me this conversation"
// typing-indicator.js, chat-errors.js   small shared pieces of the view
// messages.js, page-text.js   the message catalogue and the language this page speaks
// page-theme.js      the admin's greeting, and in the frame the widget's colour and title
import { clearComposerError } from './chat-errors.js';
import { loadSession, render, setRenderer, state, ui } from './chat-state.js';
import { renderPage } from './chat-view.js';
import { retryFailedSends, wireComposer } from './composer.js';
import { connectLive, resetConversation } from './conversation.js';
import { wireCsatCard } from './csat-card.js';
import { wireEmailCard } from './email-card.js';
import { embedMode, startEmbed } from './embed.js';
import { setOffline, whenStreamReturns } from './live-updates.js';
import { applyAccent, showGreeting } from './page-theme.js';
import { translatePage } from './page-text.js';
import { wireHandoffButton } from './status-header.js';
import { wireTranscriptCard } from './transcript-card.js';

translatePage(document);
// In the widget's frame the accent comes in the address first (no flash of the default colour), then
// with the widget's hello; the greeting is the admin's, fetched for the full page and the frame alike.
if (embedMode) applyAccent(new URLSearchParams(location.search).get('color'));
showGreeting();

setRenderer(embedMode ? startEmbed(renderPage) : renderPage);

wireComposer();
wireHandoffButton();
wireEmailCard();
wireCsatCard();
wireTranscriptCard();
ui.newConversation.addEventListener('click', () => {
  resetConversation();
  clearComposerError();
  ui.input.focus();
});
whenStreamReturns(retryFailedSends);
window.addEventListener('offline', () => setOffline(true));
window.addEventListener('online', () => {
  setOffline(false);
  state.live?.reconnectNow();
  retryFailedSends();
});

state.session = loadSession();
render({ forceScroll: true });
if (navigator.onLine === false) setOffline(true);
if (state.session) connectLive({ catchUpFirst: true });
// In a shop's frame the widget moves focus in when the customer opens the panel, never on load.
if (!embedMode) ui.input.focus({ preventScroll: true });
