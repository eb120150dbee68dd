import type { Logger } from 'pino';
import { createKeyedSerialQueue } from '../lib/keyed-serial-queue.js';
import type { Db } from '../storage/database.js';
import {
  forgetGoneInstances,
  forgetInstance,
  heartbeat,
  setWatching,
  watchedElsewhere,
} from '../storage/fleet-presence-repository.js';
import type { LivePresence } from '../webchat/live-hub.js';

const HEARTBEAT_MS = 5_000;

/**
 * Which conversations the customers of a fleet are streaming, across instances: each instance records
 * its own (when a conversation's first stream opens and its last closes) and beats every 5 s; an
 * instance that stops beating stops counting after INSTANCE_GONE_MS.
 */
export function createFleetPresence(deps: { db: Db; instanceId: string; now: () => Date; log: Logger }) {
  // A conversation's rows are written in the order its streams opened and closed.
  const perConversation = createKeyedSerialQueue();
  let timer: NodeJS.Timeout | undefined;
  const nowMs = () => deps.now().getTime();
  const beat = () =>
    heartbeat(deps.db, deps.instanceId, nowMs()).catch((error: unknown) =>
      deps.log.warn({ err: error }, 'fleet heartbeat failed'),
    );

  // Conversations whose row could not be written: written again at the next beat, from the hub's state
  // then (a stale "watching" row would keep an agent's replies from being emailed).
  const unrecorded = new Set<string>();
  let isWatched: (conversationId: string) => boolean = () => false;
  const record = (conversationId: string, watching: boolean) =>
    void perConversation(conversationId, () =>
      setWatching(deps.db, deps.instanceId, conversationId, watching),
    ).then(
      () => unrecorded.delete(conversationId),
      (error: unknown) => {
        unrecorded.add(conversationId);
        deps.log.warn({ err: error, conversationId }, 'could not record a stream; retrying');
      },
    );

  const presence: LivePresence = {
    changed: record,
    elsewhere: (conversationId) => watchedElsewhere(deps.db, deps.instanceId, conversationId, nowMs()),
  };

  return {
    presence,
    /** Starts beating; `watching` is the hub's own answer, used to write again what could not be written. */
    async start(watching: (conversationId: string) => boolean) {
      isWatched = watching;
      await forgetGoneInstances(deps.db, nowMs());
      await beat();
      timer = setInterval(() => {
        void beat();
        for (const conversationId of [...unrecorded]) record(conversationId, isWatched(conversationId));
      }, HEARTBEAT_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await forgetInstance(deps.db, deps.instanceId).catch(() => undefined);
    },
  };
}
