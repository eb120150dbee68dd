import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DeskStats } from '../desk/metrics.js';
import { HANDOFF_REASONS } from '../handoff/triggers.js';
import { computeDeskStats } from '../desk/desk-stats.js';
import type { Db } from '../storage/database.js';
import { countPendingOutbox } from '../storage/outbox-repository.js';
import { cachedFor } from '../lib/cached-for.js';

/**
 * GET /metrics in the Prometheus text format. A dedicated registry (never the global default)
 * whose gauges compute their values on scrape; one scrape reads the database once and every
 * gauge sees the same snapshot. Series whose value is undefined (a rate over zero) are omitted.
 */

interface Snapshot {
  windows: DeskStats[];
  outboxPending: number;
}

type Fill = (set: (labels: Record<string, string>, value: number | null) => void, s: Snapshot) => void;

/** One gauge per window-scoped figure: `pick` returns its value for one window's stats. */
const perWindow =
  (pick: (stats: DeskStats) => number | null): Fill =>
  (set, s) => {
    for (const stats of s.windows) set({ window: stats.window }, pick(stats));
  };

const GAUGES: Array<{ name: string; help: string; labels: string[]; fill: Fill }> = [
  {
    name: 'baton_conversations_total',
    help: 'Conversations created in the window',
    labels: ['window'],
    fill: perWindow((s) => s.conversations),
  },
  {
    name: 'baton_handoff_rate',
    help: 'Share of conversations created in the window that were handed off',
    labels: ['window'],
    fill: perWindow((s) => s.handoffRate),
  },
  {
    name: 'baton_handoffs_total',
    help: 'Handoffs triggered in the window, by reason',
    labels: ['reason', 'window'],
    fill: (set, s) => {
      for (const stats of s.windows) {
        // Every known reason, even at zero, plus any older reason still found in the window.
        const reasons = new Set<string>([...HANDOFF_REASONS, ...stats.reasons.map((r) => r.reason)]);
        for (const reason of reasons) {
          const count = stats.reasons.find((r) => r.reason === reason)?.count ?? 0;
          set({ reason, window: stats.window }, count);
        }
      }
    },
  },
  {
    name: 'baton_wait_seconds',
    help: 'Seconds from handoff to the first agent reply (answered handoffs)',
    labels: ['quantile', 'window'],
    fill: (set, s) => {
      for (const stats of s.windows) {
        set({ quantile: '0.5', window: stats.window }, stats.wait.medianSeconds);
        set({ quantile: '0.9', window: stats.window }, stats.wait.p90Seconds);
      }
    },
  },
  {
    name: 'baton_handoffs_answered_total',
    help: 'Handoffs in the window with an agent reply',
    labels: ['window'],
    fill: perWindow((s) => s.wait.answered),
  },
  {
    name: 'baton_handoffs_unanswered_total',
    help: 'Handoffs in the window without an agent reply yet',
    labels: ['window'],
    fill: perWindow((s) => s.wait.unanswered),
  },
  {
    name: 'baton_resolution_rate',
    help: 'Share of handoffs resolved without a transfer',
    labels: ['window'],
    fill: perWindow((s) => s.resolution.rate),
  },
  {
    name: 'baton_csat_average',
    help: 'Average CSAT (1-5) of handed-off conversations',
    labels: ['window'],
    fill: perWindow((s) => s.csat.average),
  },
  {
    name: 'baton_csat_count',
    help: 'CSAT ratings of handed-off conversations',
    labels: ['window'],
    fill: perWindow((s) => s.csat.count),
  },
  {
    name: 'baton_repeat_information_rate',
    help: 'Share of handed-off conversations where the customer repeated information after the handoff',
    labels: ['window'],
    fill: perWindow((s) => s.repeatInformation.rate),
  },
  {
    name: 'baton_knowledge_gap_handoffs_total',
    help: 'Knowledge-gap handoffs (low confidence) of the top topics',
    labels: ['topic', 'window'],
    fill: (set, s) => {
      for (const stats of s.windows)
        for (const gap of stats.knowledgeGaps) set({ topic: gap.topic, window: stats.window }, gap.handoffs);
    },
  },
  {
    name: 'baton_slack_outbox_pending',
    help: 'Slack outbox items waiting to be delivered (live)',
    labels: [],
    fill: (set, s) => set({}, s.outboxPending),
  },
];

export function createMetricsHandler(deps: { db: Db; now: () => Date }): RequestHandler {
  const registry = new Registry();
  // Node's own health beside the desk's: memory, open file handles, event-loop delay (p50/p90/p99).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const load = async (): Promise<Snapshot> => {
    const [week, month, outboxPending] = await Promise.all([
      computeDeskStats(deps, 7),
      computeDeskStats(deps, 30),
      countPendingOutbox(deps.db),
    ]);
    return { windows: [week, month], outboxPending };
  };
  // Gauges collect concurrently during one scrape and share its snapshot; scrapes within 5 s share one
  // too, so a scrape flood reads the database once every 5 s at most.
  const snapshot = cachedFor(5000, load, () => deps.now().getTime());

  for (const spec of GAUGES) {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labels,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        spec.fill((labels, value) => {
          if (value !== null && Number.isFinite(value)) this.set(labels, value);
        }, s);
      },
    });
  }

  return async (_req, res) => {
    const body = await registry.metrics();
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(body);
  };
}
