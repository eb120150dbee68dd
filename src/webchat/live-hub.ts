import type { ConversationStatus, Message } from '../conversation/conversation.js';
import type { AgentProfile, LiveUpdates } from '../ports.js';

export type LiveEvent =
  | { kind: 'message'; message: Message }
  | { kind: 'status'; status: ConversationStatus; agent?: AgentProfile };

type Listener = (event: LiveEvent) => void;

/** Streams held by other instances of a fleet (none on SQLite: one instance holds them all). */
export interface LivePresence {
  /** A conversation's first stream here opened (true) or its last one closed (false). */
  changed(conversationId: string, watching: boolean): void;
  elsewhere(conversationId: string): Promise<boolean>;
}

/**
 * In-process fan-out of a conversation's changes to its open streams (every tab of a customer).
 * Durable state is in SQLite; a stream that misses something catches up from `seq` on reconnect.
 */
export function createLiveHub(presence?: LivePresence): LiveUpdates & {
  subscribe(conversationId: string, listener: Listener): () => void;
  connections(): number;
  /** Registers how to end a stream cleanly at shutdown; returns the unregister function. */
  onShutdown(close: () => void): () => void;
  shutdown(): void;
  /**
   * Changes published so far, to any conversation, watched or not (in a fleet, change notices heard).
   * A change is published only after its commit, so a stream that reads its conversation and, once
   * subscribed, finds this unchanged knows the read is current: whatever commits later reaches it live.
   */
  changes(): number;
  /** A fleet notice of a change arrived (passed on or not): counted in `changes`. */
  heard(): void;
} {
  const listeners = new Map<string, Set<Listener>>();
  const closers = new Set<() => void>();
  let count = 0;
  let changes = 0;
  function emit(conversationId: string, event: LiveEvent) {
    changes += 1;
    for (const listener of listeners.get(conversationId) ?? []) listener(event);
  }
  return {
    message: (conversationId, message) => emit(conversationId, { kind: 'message', message }),
    status: (conversationId, status, agent) => emit(conversationId, { kind: 'status', status, agent }),
    subscribe(conversationId, listener) {
      const set = listeners.get(conversationId) ?? new Set<Listener>();
      listeners.set(conversationId, set);
      set.add(listener);
      count += 1;
      if (set.size === 1) presence?.changed(conversationId, true);
      return () => {
        if (set.delete(listener)) count -= 1;
        if (set.size === 0 && listeners.get(conversationId) === set) {
          listeners.delete(conversationId);
          presence?.changed(conversationId, false);
        }
      };
    },
    connections: () => count,
    changes: () => changes,
    heard: () => {
      changes += 1;
    },
    isWatched: (conversationId) => (listeners.get(conversationId)?.size ?? 0) > 0,
    watchedAnywhere: async (conversationId) =>
      (listeners.get(conversationId)?.size ?? 0) > 0 ||
      ((await presence?.elsewhere(conversationId)) ?? false),
    onShutdown(close) {
      closers.add(close);
      return () => closers.delete(close);
    },
    shutdown() {
      for (const close of [...closers]) close();
      closers.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
