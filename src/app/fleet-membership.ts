import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { findConversation } from '../conversation/conversation-repository.js';
import { listMessages } from '../conversation/message-repository.js';
import { createFleetLink, type FleetEvents } from '../storage/fleet-link.js';
import { createKeyedSerialQueue } from '../lib/keyed-serial-queue.js';
import { LIVE_CHANNEL, type LiveChange, readChange } from '../storage/change-feed.js';
import type { Db } from '../storage/database.js';
import type { LiveHub } from '../webchat/live-hub.js';
import { conversationView } from '../webchat/message-view.js';

/** The queues the worker instance works, named in the kicks other instances send it. */
export type QueueName = 'outbox' | 'inbox' | 'email';
const QUEUES: readonly QueueName[] = ['outbox', 'inbox', 'email'];
const isQueue = (value: string): value is QueueName => (QUEUES as readonly string[]).includes(value);

/** A name unique to this process, shown as the application_name of its PostgreSQL connections. */
export function newInstanceId(): string {
  const host =
    hostname()
      .replace(/[^a-zA-Z0-9-]/g, '')
      .slice(0, 20) || 'host';
  return `baton-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface FleetMembership {
  start(events: Pick<FleetEvents, 'elected' | 'deposed'>): Promise<void>;
  /** Asks the worker instance to look at a queue now. */
  kick(queue: QueueName): void;
  /** Tells every instance that the desk settings changed. */
  settingsChanged(): void;
  stop(): Promise<void>;
}

export interface FleetMembershipDeps {
  url: string;
  instanceId: string;
  db: Db;
  hub: LiveHub;
  log: Logger;
  /** Drops this instance's cached settings. */
  dropSettings: () => void;
  /** Called on the worker instance when another instance kicks a queue. */
  onKick: (queue: QueueName) => void;
}

/**
 * This instance's part in a PostgreSQL fleet: every committed conversation change, this instance's own
 * included, reaches the customers streaming from here through the change feed, in commit order (a
 * change published straight after its own commit could overtake an earlier one from another instance,
 * and the stream would skip that one); kicks from other instances reach the queues when this instance
 * works them; a settings change anywhere drops the cache here.
 */
export function joinFleet(deps: FleetMembershipDeps): FleetMembership {
  const link = createFleetLink({ url: deps.url, instanceId: deps.instanceId, log: deps.log });
  // A conversation's changes are read and passed on in the order they were committed.
  const perConversation = createKeyedSerialQueue();

  async function passOn(change: LiveChange) {
    if (change.k === 'message') {
      const [message] = await listMessages(deps.db, change.c, change.seq - 1, 1);
      if (message?.seq === change.seq) deps.hub.message(change.c, message);
      return;
    }
    const conversation = await findConversation(deps.db, change.c);
    if (!conversation) return;
    const view = await conversationView(deps.db, conversation);
    deps.hub.status(change.c, view.status, view.agent);
  }

  function onLive(payload: string) {
    // Counted before anything is dropped: a stream opening now must read its conversation again.
    deps.hub.heard();
    const change = readChange(payload);
    if (!change || !deps.hub.isWatched(change.c)) return;
    void perConversation(change.c, () => passOn(change)).catch((error: unknown) =>
      deps.log.warn({ err: error, conversationId: change.c }, 'could not pass on a conversation change'),
    );
  }

  return {
    start: (events) =>
      link.start({
        ...events,
        // Changes committed while the link was down (or before it first listened: the server takes
        // requests before it joins) were not heard: the streams open now end, and their pages reconnect
        // and resume from their last message, as after a restart. A stream whose conversation was read
        // before this moment and that subscribes after it must read it again: counted as a change.
        listening: (again) => {
          if (again) deps.log.warn('fleet link reconnected; ending live streams so their pages resume');
          deps.hub.heard();
          deps.hub.shutdown();
        },
        notice(channel, payload) {
          if (channel === LIVE_CHANNEL) onLive(payload);
          else if (channel === 'baton_settings') deps.dropSettings();
          else if (channel === 'baton_work' && isQueue(payload)) deps.onKick(payload);
        },
      }),
    kick: (queue) => link.notify('baton_work', queue),
    settingsChanged: () => link.notify('baton_settings', deps.instanceId),
    stop: () => link.stop(),
  };
}
