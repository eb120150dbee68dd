import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { benchDecisionAndCard } from './decision-and-card.js';
import { benchAssistantAnalyze } from './assistant-analyze.js';
import { benchKbSearch } from './kb-search.js';
import { benchTriggerReplay } from './trigger-replay.js';
import { benchKbScale } from './kb-scale.js';
import { benchIngest } from './ingest.js';
import { benchLiveStreams } from './live-streams.js';
import { benchPostToStream } from './post-to-stream.js';
import { benchReconnectStorm } from './reconnect-storm.js';
import { benchSlackAcks } from './slack-acks.js';
import { benchSlackRelay } from './slack-relay.js';
import { benchWidgetPaint } from './widget-paint.js';
import { fmt, medianRound } from './stats.js';
import { drawCharts } from './charts.js';

/**
 * `npm run bench`: Baton's figures beside bare baselines measured in the same run, so ratios stay
 * meaningful across machines. The HTTP figures come from this process driving servers that each run in
 * their own process (Baton, a bare HTTP echo, the echo plus one SQLite insert, a bare Slack receiver, a
 * Slack stand-in); the micro-benchmarks (decision, search, assistant) run here. Everything shares the
 * machine's cores (nothing can be pinned here), and the generator's own CPU is reported beside each figure.
 * Results: bench/results/<date>.json.
 */
const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, node: process.version } };
const row = (name: string, value: string, target: string) =>
  console.log(`${name.padEnd(46)} ${value.padEnd(34)} ${target}`);

const POST_TO_STREAM_ROUNDS = 3;
const STORM_CLIENTS = 10_000;
const STORM_ROUNDS = 3;

const out = `bench/results/${new Date().toISOString().slice(0, 10)}.json`;
// BENCH_ONLY=ingest,storm runs those sections alone (and adds them to the day's results file).
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
if (only) Object.assign(results, JSON.parse(fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '{}'));

/** Runs one scenario and saves the results so far: a later scenario that fails cannot lose them. */
async function section(name: string, run: () => Promise<void> | void) {
  if (only && !only.includes(name)) return;
  await run();
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

// Baton's server processes run its build, as deployed (see bench/servers/baton.ts), made afresh each run,
// with their launcher compiled beside it so that no Baton process or thread runs under tsx.
const build = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('npm run build failed: the benchmarks measure the build');
const launcher = spawnSync('npx', ['tsc', '-p', 'tsconfig.bench.json'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (launcher.status !== 0) throw new Error('compiling bench/servers/baton.ts beside the build failed');
process.env.BENCH_BATON_BUILD = '1';
results.batonFrom = 'build (npm run build)';

console.log(`Baton benchmarks on ${os.cpus().length} cores, Node ${process.version}, Baton from its build\n`);
row('measure', 'result', 'target');

await section('decision', async () => {
  const t5 = benchDecisionAndCard();
  results.decisionAndCard = t5;
  row(
    'T5 decision + card, p99',
    `${fmt(t5.work.p99)} (${(t5.work.p99 / t5.baseline.p99).toFixed(0)}× JSON round trip)`,
    '≤ 0.5 ms, ≤ 100×',
  );
});

await section('kbSearch', async () => {
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
  row(
    'KB search, informative, warmed up (1,000), p50 / p99',
    `${fmt(t6.informativeWarm.p50)} / ${fmt(t6.informativeWarm.p99)}`,
    'p99 ≤ 3 ms (issue 12)',
  );
});

await section('kbScale', async () => {
  const kbScale = await benchKbScale();
  results.kbScale = kbScale;
  row(
    'KB start, 10k article files, cold / saved',
    `${fmt(kbScale.coldMs)} / ${fmt(kbScale.warmMs)}`,
    'saved ≤ 3 s',
  );
  row(
    'KB reload, 1 / 500 edited: longest loop block',
    `${fmt(kbScale.oneEdit.longestLoopBlockMs)} / ${fmt(kbScale.manyEdits.longestLoopBlockMs)}`,
    '≤ 25 ms',
  );
  if (!kbScale.editSearchable) throw new Error('an edited article was not searchable after its reload');
});

await section('triggerReplay', async () => {
  const replay = await benchTriggerReplay();
  results.triggerReplay = replay;
  row(
    `Trigger replay, ${replay.conversations} conversations: confidence / keyword`,
    `${fmt(replay.confidence.ms)} / ${fmt(replay.keyword.ms)}`,
    '≤ 5 s',
  );
  row(
    'Trigger replay: longest loop block, first / second',
    `${fmt(replay.confidence.longestLoopBlockMs)} / ${fmt(replay.keyword.longestLoopBlockMs)}`,
    '≤ 25 ms',
  );
});

await section('assistant', async () => {
  for (const kind of ['copies', 'distinct'] as const) {
    const t7 = await benchAssistantAnalyze(1_000, kind);
    results[`assistantAnalyze_${kind}`] = t7;
    row(
      `T7 assistant per message, 1,000 articles (${kind}), p50 / p99`,
      `${fmt(t7.p50)} / ${fmt(t7.p99)}`,
      'p99 ≤ 5 ms',
    );
  }
});

/** What an ingest run cost the machine: the server's CPU and loop, the generator's and the Slack stand-in's CPU. */
const usage = (run: {
  serverCpuPercent: number;
  serverLoopPercent: number;
  generatorCpuPercent: number;
  slackCpuPercent?: number;
}) =>
  `server CPU ${run.serverCpuPercent.toFixed(0)}%, loop busy ${run.serverLoopPercent.toFixed(0)}%, generator ${run.generatorCpuPercent.toFixed(0)}%` +
  (run.slackCpuPercent === undefined ? '' : `, Slack stand-in ${run.slackCpuPercent.toFixed(0)}%`);

/** The issue's acknowledgement targets for Baton, by offered rate. */
const BATON_ACK_TARGETS: Record<string, string> = { '300': 'p99 ≤ 10 ms', '1000': 'p99 ≤ 25 ms' };

await section('ingest', async () => {
  const ingest = await benchIngest({ seconds: Number(process.env.BENCH_SECONDS ?? 8) });
  results.ingest = ingest;
  const bareSqlite = ingest.bareSqlite!.saturated.perSecond;
  // The absolute targets beside what the bare durable server itself reaches at the same rate on this
  // machine: a target below the baseline's own p99 cannot be met here by any server. Kept in the results
  // too, so a later run's charts and notes can compare the ratios.
  const versusBare: Record<string, number> = Object.fromEntries(
    Object.entries(ingest.baton?.rates ?? {}).map(([rate, x]) => [
      rate,
      x.p99 / (ingest.bareSqlite!.rates[Number(rate)]?.p99 ?? Number.NaN),
    ]),
  );
  results.ingestAckP99VersusBareSqlite = versusBare;
  const versusBareText = (rate: string) => {
    const ratio = versusBare[rate];
    return ratio !== undefined && Number.isFinite(ratio) ? ` (${ratio.toFixed(1)}× bare+SQLite p99)` : '';
  };
  for (const [name, r] of Object.entries(ingest)) {
    row(
      `ingest saturated, ${name}`,
      `${r.saturated.perSecond.toFixed(0)}/s p99 ${fmt(r.saturated.p99)} (${(r.saturated.perSecond / bareSqlite).toFixed(2)}× bare+SQLite)`,
      usage(r.saturated),
    );
    for (const [rate, x] of Object.entries(r.rates))
      row(
        `   offered ${rate}/s`,
        `${x.perSecond.toFixed(0)}/s p50 ${fmt(x.p50)} p99 ${fmt(x.p99)}${name === 'baton' ? versusBareText(rate) : ''}`,
        [name === 'baton' ? BATON_ACK_TARGETS[rate] : 'baseline', usage(x)].filter(Boolean).join('; '),
      );
    for (const [label, x] of [['saturated', r.saturated], ...Object.entries(r.rates)] as const)
      if (x.relay)
        row(
          `   relayed (${label === 'saturated' ? label : `${label}/s`})`,
          `${x.relay.relayed} (${x.acknowledged} acknowledged), ${x.relay.missing} stored but missing, ${x.relay.doubled} doubled, ${x.relay.outOfOrder} out of stored order (${x.relay.outOfSendingOrder} of sending order), ${x.relay.notStored} not stored`,
          'every stored line once, in stored order',
        );
  }
});

await section('relay', async () => {
  const relay = [];
  for (const latencyMs of [0, 100])
    for (const channels of [1, 50]) {
      const r = await benchSlackRelay({ latencyMs, channels, posts: channels === 1 ? 100 : 1000 });
      relay.push(r);
      row(
        `relay (channel notices), Slack in ${latencyMs} ms, ${channels} ch`,
        `${r.postsPerSecond.toFixed(0)} posts/s (${r.delivered} arrived, ${r.doubled} doubled, ${r.outOfOrder} out of order)`,
        latencyMs === 100 && channels === 50 ? '≥ 100 posts/s' : '',
      );
    }
  results.slackRelay = relay;
});

await section('postToStream', async () => {
  // 100/s, not the issue's 150/s: at 150/s neither Baton nor its answers keep up on two cores (see
  // docs/performance.md), and a figure from a growing backlog says only how long the run was.
  // A p99 of 600 answers is the seventh slowest, so one stall of the machine moves it: the scenario runs
  // three times (each with fresh servers, echo then Baton) and the median ratio is the figure.
  const rounds = [];
  for (let round = 0; round < POST_TO_STREAM_ROUNDS; round += 1)
    rounds.push(await benchPostToStream({ perSecond: 100 }));
  const median = medianRound(rounds, (r) => r.p99Ratio);
  results.postToStream = { rounds, medianP99Ratio: median.p99Ratio };
  rounds.forEach((r, i) => {
    for (const [name, x] of [
      ['SSE + SQLite echo', r.echo],
      ['Baton', r.baton],
    ] as const)
      row(
        `POST → answer on the stream, 100/s, round ${i + 1}, ${name}`,
        `p50 ${fmt(x.answer.p50)} p99 ${fmt(x.answer.p99)} (ack p99 ${fmt(x.ack.p99)}), ${x.unanswered} unanswered`,
        name === 'Baton'
          ? `p99 ${r.p99Ratio.toFixed(1)}× echo`
          : `server CPU ${x.serverCpuPercent.toFixed(0)}%`,
      );
    row(
      `   first ${r.baton.warmUp.answered} after start (not counted), round ${i + 1}`,
      `Baton p99 ${fmt(r.baton.warmUp.answer.p99)} max ${fmt(r.baton.warmUp.answer.max)}; echo p99 ${fmt(r.echo.warmUp.answer.p99)} max ${fmt(r.echo.warmUp.answer.max)}`,
      '',
    );
  });
  row(
    'POST → answer on the stream, median of rounds',
    `p99 ${median.p99Ratio.toFixed(1)}× echo (rounds: ${rounds.map((r) => `${r.p99Ratio.toFixed(1)}×`).join(', ')})`,
    'target ≤ 2×',
  );
});

await section('streams', async () => {
  const streams = await benchLiveStreams(2000);
  results.liveStreams = streams;
  row(
    'idle live streams (2,000), heap per stream',
    `${(streams.baton.heapPerStreamBytes / 1024).toFixed(1)} kB (${(streams.baton.heapPerStreamBytes / streams.bare.heapPerStreamBytes).toFixed(1)}× bare SSE ${(streams.bare.heapPerStreamBytes / 1024).toFixed(1)} kB)`,
    '≤ 1.5× bare',
  );
  row(
    '   streams opened per second',
    `${streams.baton.openPerSecond.toFixed(0)}/s (${(streams.baton.openPerSecond / streams.bare.openPerSecond).toFixed(2)}× bare ${streams.bare.openPerSecond.toFixed(0)}/s)`,
    '≥ 0.5× bare',
  );
  row(
    '   first 100 after start (not counted)',
    `${streams.baton.warmUpOpenPerSecond.toFixed(0)}/s (bare ${streams.bare.warmUpOpenPerSecond.toFixed(0)}/s)`,
    '',
  );
});

await section('storm', async () => {
  // The issue's 10,000 clients, 1,000 connects in flight (it failed with resets until Baton's listen
  // backlog was raised from Node's 511; see docs/performance.md). A storm fills both cores with the
  // server and this generator, and single runs of unchanged code measured 1.7× to 2.9× in one day as
  // the bare server's own time moved between 2.3 and 4.2 s: like POST → stream, it runs three times
  // (bare then Baton, fresh servers each) and the median ratio is the figure, with every round shown.
  const rounds = [];
  for (let round = 0; round < STORM_ROUNDS; round += 1) rounds.push(await benchReconnectStorm(STORM_CLIENTS));
  const median = medianRound(rounds, (r) => r.ratio);
  results.reconnectStorm = { rounds, medianRatio: median.ratio };
  rounds.forEach((r, i) =>
    row(
      `reconnect storm (${STORM_CLIENTS.toLocaleString('en')} streams after a restart), round ${i + 1}`,
      `${r.baton.seconds.toFixed(1)} s (${r.ratio.toFixed(1)}× bare ${r.bare.seconds.toFixed(1)} s), ${r.baton.missed} missed, ${r.baton.doubled} doubled`,
      'none missed or doubled',
    ),
  );
  const missed = rounds.reduce((n, r) => n + r.baton.missed, 0);
  const doubled = rounds.reduce((n, r) => n + r.baton.doubled, 0);
  row(
    'reconnect storm, median of rounds',
    `${median.ratio.toFixed(1)}× bare (rounds: ${rounds.map((r) => `${r.ratio.toFixed(1)}×`).join(', ')}), ${missed} missed, ${doubled} doubled in all`,
    '≤ 2× bare, none missed or doubled',
  );
});

await section('acks', async () => {
  const acks = await benchSlackAcks();
  results.slackAcks = acks;
  for (const [weather, r] of Object.entries(acks.baton)) {
    row(
      `Slack acks, every method ${weather}, p50 / p99 / max`,
      `${fmt(r.p50)} / ${fmt(r.p99)} / ${fmt(r.max)} (${r.failures} failed)`,
      'p99 ≤ 50 ms, max ≤ 3 s',
    );
  }
  row(
    '   bare durable receiver, p50 / p99',
    `${fmt(acks.baseline.p50)} / ${fmt(acks.baseline.p99)} (Baton p99 ${(acks.baton.slow!.p99 / acks.baseline.p99).toFixed(1)}×)`,
    `baseline, ${acks.perSecond}/s from another process`,
  );
});
await section('widgetPaint', async () => {
  const paint = await benchWidgetPaint(Number(process.env.BENCH_WIDGET_LOADS ?? 30));
  results.widgetPaint = paint;
  const { widget, bare, hostPage } = paint;
  row(
    `widget launcher shown after widget.js, p50 / p95`,
    `${fmt(widget.shown.p50)} / ${fmt(widget.shown.p95)} (${paint.ratio.p50.toFixed(1)}× / ${paint.ratio.p95.toFixed(1)}× bare)`,
    '≤ 100 ms',
  );
  row('   drawn (in the page, visible or not)', `${fmt(widget.drawn.p50)} / ${fmt(widget.drawn.p95)}`, '');
  row('   bare script appending a button', `${fmt(bare.p50)} / ${fmt(bare.p95)}`, 'baseline');
  for (const [kind, t] of Object.entries(hostPage))
    row(
      `   host page ${kind === 'none' ? 'without a tag' : `with ${kind}`}: DCL / load p50`,
      `${fmt(t.domContentLoaded.p50)} / ${fmt(t.load.p50)}`,
      kind === 'widget' ? 'DCL not held up' : '',
    );
});
console.log(`\nWritten to ${out}`);
// The charts in docs/performance.md, drawn from what this run wrote (a BENCH_ONLY run adds to the day's file).
if (fs.existsSync(out)) for (const file of await drawCharts(out, 'docs/images')) console.log(`Drew ${file}`);
