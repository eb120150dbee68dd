// The message catalogue: every fixed customer-facing string of the chat page, in each language the
// page speaks. Text the server writes (the assistant's answers, "Dana has joined", API error
// messages) is not here: it arrives already written. `{name}` marks a value filled in by `fill`.
// widget.js is a classic script that cannot import this; it keeps its own few strings in the same
// languages and passes its choice to the page as `?lang=`.

export const en = {
  statusBot: 'Assistant',
  statusWaiting: 'Waiting for a person…',
  statusClaimedBy: 'Chatting with {name}',
  statusClaimed: 'Chatting with a person',
  statusQueued: "We'll follow up by email",
  statusResolved: 'Conversation resolved',
  talkToPerson: 'Talk to a person',
  introTitle: 'Hi there!',
  introText:
    'Ask us anything about orders, shipping or returns. Our assistant answers right away, and a person from the team can join whenever you need.',
  conversation: 'Conversation',
  typing: 'Assistant is typing…',
  authorBot: 'Assistant',
  authorAgent: 'Support agent',
  authorCustomer: 'You',
  deleted: 'This message was deleted',
  relatedArticles: 'Related articles',
  edited: 'edited',
  sending: 'sending…',
  notSent: 'Not sent — ',
  notSentBecause: 'Not sent ({error}) — ',
  sendWhenOnline: "Will send when you're back online — ",
  retry: 'Retry',
  sent: 'Sent',
  agentPhoto: 'Photo of {name}',
  queuedTitle: 'No one is available right now.',
  queuedText: "Leave your email and we'll reply there.",
  emailLabel: 'Your email address',
  emailPlaceholder: 'you@example.com',
  emailSend: 'Send',
  emailDone: "Thanks — we'll email you at {email}",
  emailInvalid: 'Please enter a valid email address, like name@example.com.',
  emailCheck: 'Please check your email address.',
  transcriptOffer: 'Email me this conversation',
  transcriptAgain: 'Email it again',
  transcriptText: "We'll send a copy of this chat to your email address.",
  transcriptDone: 'On its way to {email}. It may take a few minutes to arrive.',
  transcriptUnavailable: "Email isn't available here, sorry.",
  transcriptTooMany: 'This conversation has been emailed a few times already. Please try again in {n} min.',
  cancel: 'Cancel',
  waitMinutesOne: 'A person usually replies within about a minute.',
  waitMinutesMany: 'A person usually replies within about {n} minutes.',
  waitOverAnHour: "A reply usually takes more than an hour. You'll see it here, and you can keep writing.",
  waitUnknown: "We've let the team know; you'll see their reply here.",
  waitAfterHours: "Our team is outside business hours right now; you'll see their reply here.",
  waitAheadOne: '1 person is ahead of you.',
  waitAheadMany: '{n} people are ahead of you.',
  csatTitle: 'How did we do?',
  csatLegend: 'Rate this conversation from 1 (very poor) to 5 (excellent).',
  csat1: 'Very poor',
  csat2: 'Poor',
  csat3: 'Okay',
  csat4: 'Good',
  csat5: 'Excellent',
  csatComment: "Anything you'd like to add? (optional)",
  csatSubmit: 'Submit',
  csatDone: 'Thanks for your feedback',
  newConversation: 'Start a new conversation',
  reconnecting: 'Reconnecting…',
  offlineBanner: "You're offline. We'll send your messages once you're back.",
  messageLabel: 'Message',
  placeholder: 'Type your message…',
  placeholderEnded: 'This conversation has ended',
  send: 'Send message',
  composerHint: 'Enter to send · Shift+Enter for a new line',
  counterOver: '{count} / {max} — {over} over the limit',
  tooLong: 'Your message is too long — please keep it under {max} characters.',
  tooFastWait: "You're sending messages too fast — try again in {n} s",
  tooFast: 'You’re sending messages too fast — please wait a moment and try again.',
  serverTrouble: 'We’re having trouble right now. Please try again in a moment.',
  offline: 'You appear to be offline. Check your connection and try again.',
  somethingWrong: 'Something went wrong. Please try again.',
};

/** @type {typeof en} */
export const de = {
  statusBot: 'Assistent',
  statusWaiting: 'Warten auf eine Person…',
  statusClaimedBy: 'Im Chat mit {name}',
  statusClaimed: 'Im Chat mit einer Person',
  statusQueued: 'Wir melden uns per E-Mail',
  statusResolved: 'Gespräch abgeschlossen',
  talkToPerson: 'Mit einer Person sprechen',
  introTitle: 'Hallo!',
  introText:
    'Fragen Sie uns alles zu Bestellungen, Versand oder Rücksendungen. Unser Assistent antwortet sofort, und eine Person aus dem Team kann jederzeit dazukommen.',
  conversation: 'Gespräch',
  typing: 'Assistent schreibt…',
  authorBot: 'Assistent',
  authorAgent: 'Support-Mitarbeiter',
  authorCustomer: 'Sie',
  deleted: 'Diese Nachricht wurde gelöscht',
  relatedArticles: 'Passende Artikel',
  edited: 'bearbeitet',
  sending: 'wird gesendet…',
  notSent: 'Nicht gesendet — ',
  notSentBecause: 'Nicht gesendet ({error}) — ',
  sendWhenOnline: 'Wird gesendet, sobald Sie wieder online sind — ',
  retry: 'Erneut senden',
  sent: 'Gesendet',
  agentPhoto: 'Foto von {name}',
  queuedTitle: 'Gerade ist niemand erreichbar.',
  queuedText: 'Hinterlassen Sie Ihre E-Mail-Adresse, wir antworten dort.',
  emailLabel: 'Ihre E-Mail-Adresse',
  emailPlaceholder: 'sie@beispiel.de',
  emailSend: 'Senden',
  emailDone: 'Danke — wir schreiben Ihnen an {email}',
  emailInvalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.',
  emailCheck: 'Bitte prüfen Sie Ihre E-Mail-Adresse.',
  transcriptOffer: 'Dieses Gespräch per E-Mail erhalten',
  transcriptAgain: 'Noch einmal per E-Mail senden',
  transcriptText: 'Wir senden Ihnen eine Kopie dieses Chats an Ihre E-Mail-Adresse.',
  transcriptDone: 'Unterwegs an {email}. Es kann ein paar Minuten dauern, bis sie ankommt.',
  transcriptUnavailable: 'E-Mail ist hier leider nicht verfügbar.',
  transcriptTooMany:
    'Dieses Gespräch wurde schon mehrmals per E-Mail verschickt. Bitte versuchen Sie es in {n} Min. erneut.',
  cancel: 'Abbrechen',
  waitMinutesOne: 'Normalerweise antwortet eine Person innerhalb von etwa einer Minute.',
  waitMinutesMany: 'Normalerweise antwortet eine Person innerhalb von etwa {n} Minuten.',
  waitOverAnHour:
    'Eine Antwort dauert meist länger als eine Stunde. Sie erscheint hier, und Sie können weiterschreiben.',
  waitUnknown: 'Das Team weiß Bescheid; die Antwort erscheint hier.',
  waitAfterHours: 'Unser Team ist gerade außerhalb der Geschäftszeiten; die Antwort erscheint hier.',
  waitAheadOne: 'Vor Ihnen wartet 1 Person.',
  waitAheadMany: 'Vor Ihnen warten {n} Personen.',
  csatTitle: 'Wie war unser Service?',
  csatLegend: 'Bewerten Sie dieses Gespräch von 1 (sehr schlecht) bis 5 (ausgezeichnet).',
  csat1: 'Sehr schlecht',
  csat2: 'Schlecht',
  csat3: 'Okay',
  csat4: 'Gut',
  csat5: 'Ausgezeichnet',
  csatComment: 'Möchten Sie noch etwas ergänzen? (optional)',
  csatSubmit: 'Absenden',
  csatDone: 'Danke für Ihr Feedback',
  newConversation: 'Neues Gespräch beginnen',
  reconnecting: 'Verbindung wird wiederhergestellt…',
  offlineBanner: 'Sie sind offline. Wir senden Ihre Nachrichten, sobald Sie wieder online sind.',
  messageLabel: 'Nachricht',
  placeholder: 'Nachricht schreiben…',
  placeholderEnded: 'Dieses Gespräch ist beendet',
  send: 'Nachricht senden',
  composerHint: 'Enter zum Senden · Umschalt+Enter für eine neue Zeile',
  counterOver: '{count} / {max} — {over} über dem Limit',
  tooLong: 'Ihre Nachricht ist zu lang — bitte bleiben Sie unter {max} Zeichen.',
  tooFastWait: 'Sie senden zu schnell — bitte in {n} s erneut versuchen',
  tooFast: 'Sie senden zu schnell — bitte warten Sie einen Moment und versuchen Sie es erneut.',
  serverTrouble: 'Wir haben gerade technische Probleme. Bitte versuchen Sie es gleich noch einmal.',
  offline: 'Sie scheinen offline zu sein. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  somethingWrong: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
};

export const catalogues = { en, de };

/**
 * The first of the browser's languages (`navigator.languages`, most preferred first) that a
 * catalogue exists for, matched on the primary subtag ("de-AT" → "de"); English otherwise.
 * @param {readonly (string | null | undefined)[] | undefined} languages
 * @returns {keyof typeof catalogues}
 */
export function pick(languages) {
  for (const tag of languages ?? []) {
    const primary = typeof tag === 'string' ? tag.trim().toLowerCase().split(/[-_]/)[0] : '';
    if (primary && Object.hasOwn(catalogues, primary)) return /** @type {any} */ (primary);
  }
  return 'en';
}

/** `template` with each `{key}` replaced by `values[key]`; unknown keys stay as written. */
export function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(values, k) ? String(values[k]) : m));
}
