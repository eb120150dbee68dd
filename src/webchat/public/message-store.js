// Ordered, de-duplicated view of a conversation's messages. Pure: no DOM.
//
// Server messages are keyed by `id` (falling back to `seq`) and kept sorted by
// `seq`. Messages the customer is still sending ("pending": no id/seq yet) are
// keyed by their `clientMessageId`, always listed after the stored ones, and are
// replaced when the stored copy arrives (from the POST answer, the stream or a
// catch-up GET, whichever comes first).

/** @typedef {{ id: string, seq: number, author: string, text: string, createdAt: string,
 *   agent?: { name: string, avatarUrl?: string }, articles?: { id: string, title: string, url?: string }[],
 *   clientMessageId?: string, editedAt?: string, deleted?: boolean }} Message */
/** @typedef {{ clientMessageId: string, author: 'customer', text: string, createdAt: string,
 *   local: true, state: 'sending' | 'failed', error?: string }} PendingMessage */

/**
 * Should `incoming` replace `existing` (same id)? Edits and deletions reuse id and
 * seq, so a late copy of an older version must not undo them.
 * @param {Message} existing
 * @param {Message} incoming
 */
export function isNewerVersion(existing, incoming) {
  if (existing.deleted && !incoming.deleted) return false;
  if (incoming.deleted && !existing.deleted) return true;
  const a = existing.editedAt ? Date.parse(existing.editedAt) : 0;
  const b = incoming.editedAt ? Date.parse(incoming.editedAt) : 0;
  if (b !== a) return b > a;
  return messageVersion(existing) !== messageVersion(incoming);
}

/** A string that changes whenever anything displayed about the message changes. */
export function messageVersion(m) {
  return JSON.stringify([
    m.id,
    m.seq,
    m.text,
    m.editedAt,
    m.deleted,
    m.state,
    m.error,
    m.agent?.name,
    m.agent?.avatarUrl,
    m.articles,
  ]);
}

/** Stable DOM key: the clientMessageId survives the pending → stored swap. */
export function messageKey(m) {
  if (m.clientMessageId) return `c:${m.clientMessageId}`;
  return `m:${m.id ?? m.seq}`;
}

export function isValidMessage(m) {
  return (
    !!m &&
    typeof m === 'object' &&
    typeof m.id === 'string' &&
    typeof m.seq === 'number' &&
    Number.isFinite(m.seq) &&
    typeof m.author === 'string'
  );
}

export function createMessageStore() {
  /** @type {Message[]} sorted by seq */
  let stored = [];
  /** @type {Map<string, PendingMessage>} insertion-ordered */
  const pending = new Map();
  let maxSeq = 0;

  function indexOfId(id) {
    return stored.findIndex((m) => m.id === id);
  }

  function insertSorted(m) {
    let i = stored.length;
    while (i > 0 && stored[i - 1].seq > m.seq) i--;
    stored.splice(i, 0, m);
  }

  return {
    /**
     * Merge one server message.
     * @param {Message} m
     * @returns {'added' | 'updated' | 'ignored'}
     */
    upsert(m) {
      if (!isValidMessage(m)) return 'ignored';
      if (m.clientMessageId) pending.delete(m.clientMessageId);
      let i = indexOfId(m.id);
      if (i === -1) i = stored.findIndex((s) => s.seq === m.seq);
      if (i !== -1) {
        const existing = stored[i];
        if (existing.id !== m.id || isNewerVersion(existing, m)) {
          stored.splice(i, 1);
          insertSorted(m);
          if (m.seq > maxSeq) maxSeq = m.seq;
          return 'updated';
        }
        return 'ignored';
      }
      insertSorted(m);
      if (m.seq > maxSeq) maxSeq = m.seq;
      return 'added';
    },
    /** @param {Message[]} list */
    upsertAll(list) {
      let changed = false;
      for (const m of list ?? []) if (this.upsert(m) !== 'ignored') changed = true;
      return changed;
    },
    /** Add (or reset to "sending") a customer message that has no server copy yet. */
    addPending(clientMessageId, text, createdAt = new Date().toISOString()) {
      const existing = pending.get(clientMessageId);
      if (existing) {
        existing.state = 'sending';
        delete existing.error;
        return existing;
      }
      /** @type {PendingMessage} */
      const p = { clientMessageId, author: 'customer', text, createdAt, local: true, state: 'sending' };
      pending.set(clientMessageId, p);
      return p;
    },
    markFailed(clientMessageId, error) {
      const p = pending.get(clientMessageId);
      if (!p) return false;
      p.state = 'failed';
      if (error) p.error = error;
      else delete p.error;
      return true;
    },
    removePending(clientMessageId) {
      return pending.delete(clientMessageId);
    },
    getPending(clientMessageId) {
      return pending.get(clientMessageId);
    },
    hasStoredClientMessage(clientMessageId) {
      return stored.some((m) => m.clientMessageId === clientMessageId);
    },
    /** Stored messages by seq, then pending ones in the order they were written. */
    list() {
      return [...stored, ...pending.values()];
    },
    get maxSeq() {
      return maxSeq;
    },
    get size() {
      return stored.length + pending.size;
    },
    clear() {
      stored = [];
      pending.clear();
      maxSeq = 0;
    },
  };
}
