import type { KnownBlock } from '@slack/types';
import type { Logger } from 'pino';
import type { Db } from '../storage/database.js';
import type { Transact } from '../storage/group-commit.js';
import { channelHeads, customerLinesBehind, pendingHeads } from '../storage/outbox-heads.js';
import {
  countPendingOutbox,
  deferOutbox,
  markOutboxDone,
  markOutboxFailed,
  type OutboxItem,
  setOutboxSending,
} from '../storage/outbox-repository.js';
import { createWorkLoop } from '../lib/work-loop.js';
import { BURST_MAX_LINES, mergeBurst } from './outbox-burst.js';
import { classifySlackError } from './slack-errors.js';
import { alreadyPosted, OUTBOX_MARKER } from './outbox-marker.js';
import { createOutboxLanes } from './outbox-lanes.js';
import type { OutboxClient } from './outbox-client.js';

export interface OutboxMessage {
  channel: string;
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
  /** chat.update instead of chat.postMessage. */
  updateTs?: string;
}

/** A reaction to add to (or take off) a message: a delivery mark on an agent's reply. */
export interface OutboxReaction {
  channel: string;
  reaction: { ts: string; name: string; op: 'add' | 'remove' };
}

/** A Slack call to make, or why not (`failed` keeps the item visible as failed instead of done). */
export type RenderResult = OutboxMessage | OutboxReaction | { skip: string; failed?: boolean };

/**
 * Reaction errors that mean the mark is already as wanted (or its message is gone): done, not failed.
 * Adding or removing a reaction is idempotent this way, so no marker check is needed after a crash.
 */
const SETTLED_REACTION_ERRORS = new Set(['already_reacted', 'no_reaction', 'message_not_found']);

/** Turns a stored outbox item into the Slack call to make, reading fresh state at send time. */
export interface OutboxRenderer {
  render(item: OutboxItem): Promise<RenderResult>;
}

/** What a post did to the conversation: owned by the handoff feature, called by the worker. */
export interface OutboxOutcomes {
  /**
   * Slack accepted the post. Runs in the transaction that marks the item done, so what the post did is
   * recorded with it or not at all; returns what to publish once that transaction has committed.
   */
  delivered(trx: Db, item: OutboxItem, ts: string): Promise<() => void>;
  /** Slack refused for good (channel gone, token revoked, invalid payload). Same transaction contract as `delivered`. */
  failed(trx: Db, item: OutboxItem, code: string): Promise<() => void>;
}

export interface OutboxWorkerDeps {
  db: Db;
  /**
   * The group commit (createGroupCommit): the marks written around each post share their commit, and
   * its wait for the disk, with customer messages stored at the same moment.
   */
  transact: Transact;
  client: OutboxClient;
  renderer: OutboxRenderer;
  outcomes: OutboxOutcomes;
  log: Logger;
  now: () => Date;
  /** Failed attempts after which an item is parked as failed (default MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Backoff for ambiguous failures (network, 5xx): attempt -> ms. */
  backoffMs?: (attempt: number) => number;
  /** Channels (and DMs) worked at once (default OUTBOX_CONCURRENCY). */
  concurrency?: number;
}

/** With the default backoff (1 s doubling to 60 s) about 7 minutes of trying before an item is parked. */
export const MAX_ATTEMPTS = 12;
/**
 * Channels posted to at once. Slack paces each channel (about a post a second) and the workspace as a
 * whole, not the number of calls in flight: with Slack answering in 100 ms, 16 lanes allow ~160 posts/s.
 */
export const OUTBOX_CONCURRENCY = 16;

/**
 * Delivers queued Slack posts durably and in order per channel, channels side by side. Only the head of
 * each channel's queue is sent; a 429 defers that head by Retry-After, so later posts wait behind it
 * instead of overtaking it. After an ambiguous failure the channel is checked for our marker before
 * re-posting (outbox-marker.ts).
 */
export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const backoff = deps.backoffMs ?? ((attempt: number) => Math.min(60_000, 1000 * 2 ** attempt));
  const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS;
  const concurrency = deps.concurrency ?? OUTBOX_CONCURRENCY;

  async function recordDelivery(items: OutboxItem[], ts: string | undefined) {
    const publish = await deps.transact(async (trx) => {
      const after: (() => void)[] = [];
      for (const item of items) {
        await markOutboxDone(trx, item.id, ts, deps.now().toISOString());
        if (ts) after.push(await deps.outcomes.delivered(trx, item, ts));
      }
      return after;
    });
    for (const p of publish) p();
  }

  /**
   * Parks an item Slack will not take: kept as failed (never silently dropped), and what that means for
   * the conversation commits with the mark, or neither does (and it is tried again).
   */
  async function park(item: OutboxItem, code: string) {
    const publish = await deps.db.transaction().execute(async (trx) => {
      await markOutboxFailed(trx, item.id, code, deps.now().toISOString());
      return deps.outcomes.failed(trx, item, code);
    });
    publish();
  }

  async function send(item: OutboxItem): Promise<void> {
    const log = deps.log.child({
      outboxId: item.id,
      kind: item.kind,
      conversationId: 'conversationId' in item ? item.conversationId : undefined,
      handoffId: 'handoffId' in item ? item.handoffId : undefined,
    });
    const nowIso = () => deps.now().toISOString();
    // Transient failures are retried with backoff, not forever: the channel's queue must move on.
    if (item.attempts >= maxAttempts) {
      log.error({ attempts: item.attempts }, 'Slack kept failing: parking the item');
      await park(item, `gave_up_after_${item.attempts}_attempts`);
      return;
    }
    let msg: RenderResult;
    try {
      msg = await deps.renderer.render(item);
    } catch (error) {
      log.error({ err: error }, 'outbox item could not be rendered');
      await markOutboxFailed(deps.db, item.id, 'render_failed', nowIso());
      return;
    }
    if ('skip' in msg) {
      if (msg.failed) {
        // Kept as failed, not done: a customer message that never reached a person must stay visible.
        log.error({ why: msg.skip }, 'outbox item cannot be delivered');
        await markOutboxFailed(deps.db, item.id, msg.skip, nowIso());
      } else {
        log.debug({ why: msg.skip }, 'outbox item skipped');
        await markOutboxDone(deps.db, item.id, undefined, nowIso());
      }
      return;
    }
    if ('reaction' in msg) return react(item, msg, log);
    // A fresh customer line takes the lines queued right behind it in its thread along (one post).
    const burst =
      item.kind === 'thread_message' && !item.maybeSent && !msg.updateTs
        ? await mergeBurst(
            deps.renderer,
            item,
            msg,
            await customerLinesBehind(deps.db, item, BURST_MAX_LINES - 1),
          )
        : { message: msg, items: [item] };
    const post: OutboxMessage = burst.message;
    const ids = burst.items.map((i) => i.id);
    try {
      const earlier = await alreadyPosted(deps.client, item, post);
      let ts = earlier;
      if (!ts && post.updateTs) {
        await deps.client.chat.update({
          channel: post.channel,
          ts: post.updateTs,
          text: post.text,
          blocks: post.blocks,
        });
        ts = post.updateTs;
      } else if (!ts) {
        // Durable before the call (a crash mid-post leaves it for the marker check), but shared: under
        // load this mark rides on the commit of other work instead of waiting for the disk on its own.
        if (!item.maybeSent || ids.length > 1) await deps.transact((trx) => setOutboxSending(trx, ids, true));
        const res = await deps.client.chat.postMessage({
          channel: post.channel,
          text: post.text,
          blocks: post.blocks,
          thread_ts: post.threadTs,
          unfurl_links: false,
          unfurl_media: false,
          metadata: {
            event_type: OUTBOX_MARKER,
            event_payload: { outbox_id: item.id, ...(ids.length > 1 ? { outbox_ids: ids.join(',') } : {}) },
          },
        });
        ts = res.ts;
      }
      await recordDelivery(burst.items, ts);
    } catch (error) {
      await failedCall(item, ids, error, log);
    }
  }

  /** A delivery mark: reactions.add or reactions.remove on the agent's reply. */
  async function react(item: OutboxItem, msg: OutboxReaction, log: Logger): Promise<void> {
    const { ts, name, op } = msg.reaction;
    try {
      const args = { channel: msg.channel, timestamp: ts, name };
      if (op === 'add') await deps.client.reactions.add(args);
      else await deps.client.reactions.remove(args);
    } catch (error) {
      const verdict = classifySlackError(error);
      if (!(verdict.kind === 'permanent' && SETTLED_REACTION_ERRORS.has(verdict.code)))
        return failedCall(item, [item.id], error, log);
      log.debug({ code: verdict.code }, 'delivery mark already as wanted');
    }
    await markOutboxDone(deps.db, item.id, undefined, deps.now().toISOString());
  }

  /** A call Slack did not take: deferred (429, transient) or parked (refused for good). */
  async function failedCall(item: OutboxItem, ids: number[], error: unknown, log: Logger) {
    const verdict = classifySlackError(error);
    // Slack refused this post (429 or a refusal): it was not made, so its lines need no marker check
    // later. Not when an earlier attempt may have posted (maybeSent): then the refusal may have come
    // from the check itself, and the flag must stay until the check has run.
    if (verdict.kind !== 'transient' && !item.maybeSent)
      await setOutboxSending(deps.db, ids, false).catch(() => {});
    if (verdict.kind === 'rate_limited') {
      log.warn({ retryAfterSec: verdict.retryAfterSec }, 'Slack rate limit: deferring');
      await deferOutbox(
        deps.db,
        item.id,
        deps.now().getTime() + verdict.retryAfterSec * 1000,
        'ratelimited',
        false,
      );
    } else if (verdict.kind === 'permanent') {
      log.error({ code: verdict.code }, 'Slack refused the post for good');
      await park(item, verdict.code);
    } else {
      log.warn({ err: error, attempt: item.attempts + 1 }, 'Slack call failed: will retry');
      await deferOutbox(deps.db, item.id, deps.now().getTime() + backoff(item.attempts), verdict.code);
    }
  }

  const heads = {
    pending: () => pendingHeads(deps.db),
    of: (channel: string) => channelHeads(deps.db, channel),
  };
  const lanes = createOutboxLanes({ heads, now: deps.now, log: deps.log, send, concurrency });

  const loop = createWorkLoop({
    pass: lanes.pass,
    now: () => deps.now().getTime(),
    onError: (error) => deps.log.error({ err: error }, 'outbox worker crashed; will retry on next kick'),
  });

  return {
    kick: (channels?: readonly string[]) => {
      lanes.wake(channels);
      loop.kick();
    },
    stop: loop.stop,
    pending: () => countPendingOutbox(deps.db),
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
