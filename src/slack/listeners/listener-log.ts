import type { Logger } from 'pino';
import { z } from 'zod';

/** Only the ids are read; Bolt's payload types claim more than Slack (or a test) always sends. */
const eventEnvelope = z.object({ event_id: z.string().min(1) });
const interaction = z.object({ trigger_id: z.string().min(1) });
const blockAction = z.object({ actions: z.array(z.object({ action_ts: z.string().min(1) })).min(1) });

/** The `event_id` of an Events API envelope, if it has one. */
export function envelopeEventId(body: unknown): string | undefined {
  return eventEnvelope.safeParse(body).data?.event_id;
}

/**
 * The id that names one delivery from Slack: `event_id` for events, `trigger_id` for commands,
 * block actions and view submissions, and the action's `action_ts` when there is no trigger.
 */
export function slackEventId(body: unknown): string | undefined {
  return (
    envelopeEventId(body) ??
    interaction.safeParse(body).data?.trigger_id ??
    blockAction.safeParse(body).data?.actions[0]?.action_ts
  );
}

/** A child logger for one delivery to one listener; bind conversationId and handoffId once known. */
export function listenerLog(log: Logger, listener: string, body: unknown): Logger {
  return log.child({ eventId: slackEventId(body), listener });
}
