/** What Baton itself tells the customer at lifecycle steps (admins word handoff, offline and join). */
export const CUSTOMER_NOTICES = {
  resolved: (agentName: string) => `Conversation resolved by ${agentName}.`,
  transfer: "I'm passing your conversation to the team that handles this. They'll see everything so far.",
  busy: "We're getting a lot of requests from your network right now, so I can't bring in a person at this moment. Please try again in a little while; you can keep writing here meanwhile.",
  slow: "Sorry for the wait: it's taking longer than usual to reach someone. You haven't been forgotten, and you can keep writing here.",
  cardFailed:
    "Sorry, we couldn't reach our support team just now. Leave your email below and we'll get back to you there.",
} as const;

/** The admin's join message with `{agent}` replaced by the agent's name. */
export function joinNotice(template: string, agentName: string): string {
  return template.replaceAll('{agent}', agentName);
}
