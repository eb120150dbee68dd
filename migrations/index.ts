import type { Migration } from 'kysely';
import * as initialSchema from './2026-11-21T000000-initial-schema.js';
import * as copilotSuggestions from './2026-11-21T010000-copilot-suggestions.js';
import * as deskOperations from './2026-11-21T020000-desk-operations.js';
import * as lifecycleMarkers from './2026-11-30T000000-lifecycle-markers.js';
import * as slackInbox from './2026-11-30T010000-slack-inbox.js';
import * as outboxPendingIndexes from './2026-11-30T020000-outbox-pending-indexes.js';
import * as agentAvatars from './2026-12-01T010000-agent-avatars.js';
import * as emailOutboxLookups from './2026-12-01T020000-email-outbox-lookups.js';
import * as fleetPresence from './2026-12-01T030000-fleet-presence.js';
import * as emailQueueOnce from './2026-12-01T040000-email-queue-once.js';
import * as triggerInputs from './2026-12-01T050000-trigger-inputs.js';
import * as deliveryMarks from './2026-12-01T060000-delivery-marks.js';
import * as latestHandoffIndex from './2026-12-02T010000-latest-handoff-index.js';

/**
 * Every migration, keyed by its timestamped name. Listed statically (not read from the
 * folder at run time) so the same code runs under tsx, a compiled build and bundlers.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-21T000000-initial-schema': initialSchema,
  '2026-11-21T010000-copilot-suggestions': copilotSuggestions,
  '2026-11-21T020000-desk-operations': deskOperations,
  '2026-11-30T000000-lifecycle-markers': lifecycleMarkers,
  '2026-11-30T010000-slack-inbox': slackInbox,
  '2026-11-30T020000-outbox-pending-indexes': outboxPendingIndexes,
  '2026-12-01T010000-agent-avatars': agentAvatars,
  '2026-12-01T020000-email-outbox-lookups': emailOutboxLookups,
  '2026-12-01T030000-fleet-presence': fleetPresence,
  '2026-12-01T040000-email-queue-once': emailQueueOnce,
  '2026-12-01T050000-trigger-inputs': triggerInputs,
  '2026-12-01T060000-delivery-marks': deliveryMarks,
  '2026-12-02T010000-latest-handoff-index': latestHandoffIndex,
};
