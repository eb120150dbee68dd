import fs from 'node:fs';
import os from 'node:os';
import { benchChatApi } from './chat-api.js';
import { benchDecisionAndCard } from './decision-and-card.js';
import { benchAssistantAnalyze } from './assistant-analyze.js';
import { benchKbSearch } from './kb-search.js';
import { benchSlackAcks } from './slack-acks.js';
import { fmt } from './stats.js';

/**
 * `npm run bench`: the figures from shared/RELIABILITY.md part B that Baton can measure on its own,
 * each beside a bare baseline run in the same process, so ratios stay meaningful across machines.
 * The load generator shares the machine's cores with the server (nothing can be pinned here).
 */
const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, node: process.version } };
const row = (name: string, value: string, target: string) =>
  console.log(`${name.padEnd(46)} ${value.padEnd(34)} ${target}`);

console.log(`Baton benchmarks on ${os.cpus().length} cores, Node ${process.version}\n`);
row('measure', 'result', 'target');

const t5 = benchDecisionAndCard();
results.decisionAndCard = t5;
row(
  'T5 decision + card, p99',
  `${fmt(t5.work.p99)} (${(t5.work.p99 / t5.baseline.p99).toFixed(0)}× JSON round trip)`,
  '≤ 0.5 ms, ≤ 100×',
);

const t6 = benchKbSearch();
results.kbSearch = t6;
row('T6 KB index build, 10k articles', fmt(t6.buildMs), 'before readiness');
row(
  'T6 KB search, informative, p50 / p99',
  `${fmt(t6.informative.p50)} / ${fmt(t6.informative.p99)}`,
  'p50 ≤ 2 ms, p99 ≤ 10 ms',
);
row(
  'T6 KB search, raw with common words, p99 / max',
  `${fmt(t6.raw.p99)} / ${fmt(t6.raw.max)}`,
  'max ≤ 25 ms',
);
row('T6 KB search, 2,000 words or stopwords, max', fmt(t6.adversarial.max), '≤ 50 ms event-loop block');

for (const kind of ['copies', 'distinct'] as const) {
  const t7 = await benchAssistantAnalyze(1_000, kind);
  results[`assistantAnalyze_${kind}`] = t7;
  row(
    `T7 assistant per message, 1,000 articles (${kind}), p50 / p99`,
    `${fmt(t7.p50)} / ${fmt(t7.p99)}`,
    'p99 ≤ 5 ms',
  );
}

const t2 = await benchChatApi();
results.chatApi = t2;
row(
  'T2 chat API messages/s (HTTP, SQLite FULL)',
  `${t2.api.perSecond.toFixed(0)}/s (${(t2.api.perSecond / t2.baseline.perSecond).toFixed(2)}× bare echo)`,
  'ratio to bare HTTP echo',
);
row('   ack latency p50 / p99', `${fmt(t2.api.latency.p50)} / ${fmt(t2.api.latency.p99)}`, '');
row('   bare HTTP echo messages/s', `${t2.baseline.perSecond.toFixed(0)}/s`, 'baseline');

const acks = await benchSlackAcks();
results.slackAcks = acks;
for (const [weather, r] of Object.entries(acks.baton)) {
  row(
    `Slack acks, every method ${weather}, p50 / p99 / max`,
    `${fmt(r.p50)} / ${fmt(r.p99)} / ${fmt(r.max)} (${r.failures} not 200)`,
    'p99 ≤ 50 ms, max ≤ 3 s',
  );
}
row(
  '   bare durable receiver, p50 / p99',
  `${fmt(acks.baseline.p50)} / ${fmt(acks.baseline.p99)} (Baton p99 ${(acks.baton.slow!.p99 / acks.baseline.p99).toFixed(1)}×)`,
  `baseline, ${acks.perSecond}/s from another process`,
);

fs.writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nWritten to bench-results.json');
