/**
 * The marks an agent sees on each reply relayed to a customer, as Slack reactions on the agent's own
 * message: delivered to the live chat, seen, sent by email, or not delivered. Pure: the facts come in,
 * the reactions to add or remove come out.
 */

/** The reaction (emoji name) for each mark. */
export const MARK_EMOJI = {
  delivered: 'white_check_mark',
  seen: 'eyes',
  emailed: 'envelope',
  undelivered: 'warning',
} as const;

export type Mark = keyof typeof MARK_EMOJI;

/** How long a reply may go without reaching the customer before the agent is told in the thread. */
export const UNDELIVERED_AFTER_MS = 2 * 60_000;

/** When each mark was reached (ISO time), if it was. */
export interface MarkState {
  deliveredAt?: string;
  seenAt?: string;
  emailedAt?: string;
  undeliveredAt?: string;
}

export interface ReactionChange {
  op: 'add' | 'remove';
  name: (typeof MARK_EMOJI)[Mark];
}

/**
 * What one new fact about a reply changes: its marks and the reactions to add or remove, or undefined
 * when it changes nothing (a receipt repeated, an email for a reply already seen). Seen implies
 * delivered; reaching the customer after the warning takes the warning back.
 */
export function markReply(
  state: MarkState,
  fact: 'delivered' | 'seen' | 'emailed' | 'undelivered',
  at: string,
): { state: MarkState; reactions: ReactionChange[] } | undefined {
  const reached = Boolean(state.deliveredAt || state.emailedAt);
  const add = (mark: Mark): ReactionChange => ({ op: 'add', name: MARK_EMOJI[mark] });
  const takeBackWarning: ReactionChange[] =
    state.undeliveredAt && !reached ? [{ op: 'remove', name: MARK_EMOJI.undelivered }] : [];
  switch (fact) {
    case 'delivered':
      if (state.deliveredAt) return undefined;
      return { state: { ...state, deliveredAt: at }, reactions: [add('delivered'), ...takeBackWarning] };
    case 'seen': {
      if (state.seenAt) return undefined;
      const delivered = state.deliveredAt ? [] : [add('delivered')];
      return {
        state: { ...state, deliveredAt: state.deliveredAt ?? at, seenAt: at },
        reactions: [...delivered, add('seen'), ...takeBackWarning],
      };
    }
    case 'emailed':
      if (state.emailedAt) return undefined;
      return { state: { ...state, emailedAt: at }, reactions: [add('emailed'), ...takeBackWarning] };
    case 'undelivered':
      if (reached || state.undeliveredAt) return undefined;
      return { state: { ...state, undeliveredAt: at }, reactions: [add('undelivered')] };
  }
}

/** Whether the reply has gone `UNDELIVERED_AFTER_MS` without reaching the customer and nobody was told. */
export function isOverdue(state: MarkState, createdAt: string, now: Date): boolean {
  if (state.deliveredAt || state.emailedAt || state.undeliveredAt) return false;
  return now.getTime() - Date.parse(createdAt) >= UNDELIVERED_AFTER_MS;
}

/** What became of the follow-up email for a reply, as far as Baton knows. */
export type EmailFate = 'none' | 'pending' | 'failed';

/** Why a reply has not reached the customer, in the agent's words. Pure. */
export function undeliveredReason(
  email: EmailFate,
  customer: { hasAddress: boolean; canEmail: boolean },
): string {
  if (email === 'failed')
    return 'the customer is not in the chat, and the email to them could not be delivered';
  if (email === 'pending')
    return 'the customer is not in the chat, and the email to them is still being retried';
  if (!customer.hasAddress)
    return 'the customer is not in the chat and left no email address; they will see it if they come back';
  if (!customer.canEmail)
    return 'the customer is not in the chat, and Baton cannot email them (SMTP is not set up); they will see it if they come back';
  return 'the chat was open when you replied but has not shown it since; the customer will see it when they come back';
}
