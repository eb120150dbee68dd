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

  const presence: LivePresence = {
    changed(conversationId, watching) {
      void perConversation(conversationId, () =>
        setWatching(deps.db, deps.instanceId, conversationId, watching),
      ).catch((error: unknown) => deps.log.warn({ err: error, conversationId }, 'could not record a stream'));
    },
    elsewhere: (conversationId) => watchedElsewhere(deps.db, deps.instanceId, conversationId, nowMs()),
  };

  return {
    presence,
    async start() {
      await forgetGoneInstances(deps.db, nowMs());
      await beat();
      timer = setInterval(() => void beat(), HEARTBEAT_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await forgetInstance(deps.db, deps.instanceId).catch(() => undefined);
    },
  };
}
