import type { Conversation } from '../conversation/conversation.js';
import type { DeskSettings } from '../desk/desk-settings.js';
import { cachedFor } from '../lib/cached-for.js';
import type { Db } from '../storage/database.js';
import { estimateWait, WAIT_POLICY, type WaitEstimate } from './wait-estimate.js';
import { loadClaimSamples, queuePlace } from './wait-repository.js';

/** How long the week of claim times is reused: a burst of waiting customers reads it once. */
export const CLAIM_SAMPLES_CACHE_MS = 60_000;

const DAY_MS = 86_400_000;

export interface WaitEstimatorDeps {
  db: Db;
  now: () => Date;
  settings: () => Promise<Pick<DeskSettings, 'hours'>>;
}

/**
 * What a conversation waiting for a person is told about the wait; undefined in any other status.
 * The claim times are cached (they change by minutes, not by requests); the queue place is this
 * conversation's own and is read each time.
 */
export function createWaitEstimator(deps: WaitEstimatorDeps) {
  const samples = cachedFor(
    CLAIM_SAMPLES_CACHE_MS,
    () => loadClaimSamples(deps.db, since(deps.now())),
    () => deps.now().getTime(),
  );
  return async function waitFor(conversation: Conversation): Promise<WaitEstimate | undefined> {
    if (conversation.status !== 'waiting') return undefined;
    const [place, recent, settings] = await Promise.all([
      queuePlace(deps.db, conversation.id),
      samples(),
      deps.settings(),
    ]);
    return estimateWait({
      samples: recent,
      now: deps.now(),
      hours: settings.hours,
      ahead: place?.ahead ?? 0,
      waitingSince: place?.waitingSince,
    });
  };
}

export type WaitEstimator = ReturnType<typeof createWaitEstimator>;

function since(now: Date): string {
  return new Date(now.getTime() - WAIT_POLICY.windowDays * DAY_MS).toISOString();
}
