import fs from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { z } from 'zod';

/**
 * Draws a results file of `npm run bench` as SVG charts for docs/performance.md: acknowledgement latency
 * against the offered rate (every server of the ingest scenario), heap against open live streams, and
 * POST → stream's rounds. Vega-Lite describes each chart; Vega renders it to SVG without a browser.
 */

const latency = z.object({ perSecond: z.number(), p50: z.number(), p99: z.number() });
const streamCurve = z.array(z.object({ streams: z.number(), heapBytes: z.number() }));
const answer = z.object({ answer: z.object({ p50: z.number(), p99: z.number() }) });

/**
 * The parts of a results file the charts draw. A section that is missing or in an older shape (files of
 * earlier days, before the stream curve or the rounds) leaves its chart out instead of failing the rest.
 */
export const chartedResults = z.object({
  ingest: z
    .record(z.string(), z.object({ rates: z.record(z.string(), latency) }))
    .optional()
    .catch(undefined),
  liveStreams: z
    .object({ bare: z.object({ curve: streamCurve }), baton: z.object({ curve: streamCurve }) })
    .optional()
    .catch(undefined),
  postToStream: z
    .object({ rounds: z.array(z.object({ echo: answer, baton: answer })) })
    .optional()
    .catch(undefined),
});
export type ChartedResults = z.infer<typeof chartedResults>;

const SERVER_NAMES: Record<string, string> = {
  bareHttp: 'bare HTTP',
  bareSqlite: 'bare HTTP + SQLite',
  baton: 'Baton',
};

const common = {
  width: 420,
  height: 260,
  background: 'white',
  config: { legend: { labelLimit: 0 }, axisX: { labelAngle: 0 } },
} as const;

/** The Vega-Lite spec of each chart the results allow, by file name (without extension). */
export function chartSpecs(results: ChartedResults): Record<string, TopLevelSpec> {
  const specs: Record<string, TopLevelSpec> = {};
  if (results.ingest) {
    const values = Object.entries(results.ingest).flatMap(([server, r]) =>
      Object.entries(r.rates).flatMap(([rate, x]) =>
        (['p50', 'p99'] as const).map((percentile) => ({
          server: SERVER_NAMES[server] ?? server,
          offered: Number(rate),
          percentile,
          ms: x[percentile],
        })),
      ),
    );
    specs['bench-ingest-latency'] = {
      ...common,
      title: {
        text: 'Acknowledgement latency against offered rate',
        subtitle: 'solid: p50, dashed: p99; Baton relays every line to a Slack stand-in',
      },
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'offered',
          type: 'quantitative',
          scale: { type: 'log' },
          axis: { values: [100, 300, 1000] },
          title: 'offered messages/s (log scale)',
        },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
        color: { field: 'server', type: 'nominal', title: null },
        strokeDash: {
          field: 'percentile',
          type: 'nominal',
          title: null,
          // A dash legend drawn by Vega shows no dash next to points; the subtitle says it instead.
          legend: null,
        },
      },
    };
  }
  if (results.liveStreams) {
    const values = (['bare', 'baton'] as const).flatMap((server) =>
      results.liveStreams![server].curve.map((point) => ({
        server: server === 'bare' ? 'bare SSE server' : 'Baton',
        streams: point.streams,
        heapMB: point.heapBytes / 1024 / 1024,
      })),
    );
    specs['bench-stream-memory'] = {
      ...common,
      title: 'Heap held by idle live streams',
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'streams', type: 'quantitative', title: 'open streams' },
        y: { field: 'heapMB', type: 'quantitative', title: 'heap above the start (MB)' },
        color: { field: 'server', type: 'nominal', title: null },
      },
    };
  }
  if (results.postToStream) {
    const values = results.postToStream.rounds.flatMap((round, i) =>
      (['echo', 'baton'] as const).flatMap((server) =>
        (['p50', 'p99'] as const).map((percentile) => ({
          round: `round ${i + 1}`,
          series: `${server === 'echo' ? 'SSE + SQLite echo' : 'Baton'} ${percentile}`,
          ms: round[server].answer[percentile],
        })),
      ),
    );
    specs['bench-post-to-stream'] = {
      ...common,
      title: 'POST → answer on the live stream, 100/s',
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'round', type: 'nominal', title: null },
        xOffset: { field: 'series', type: 'nominal' },
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          // Each server's p50 and p99 in light and dark shades of one colour.
          scale: {
            domain: ['Baton p50', 'Baton p99', 'SSE + SQLite echo p50', 'SSE + SQLite echo p99'],
            range: ['#9ecae9', '#2b6ca3', '#ffbf79', '#d4670b'],
          },
        },
      },
    };
  }
  return specs;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes every chart the results allow into `dir`; returns the files written. */
export async function drawCharts(resultsFile: string, dir: string): Promise<string[]> {
  const results = chartedResults.parse(JSON.parse(fs.readFileSync(resultsFile, 'utf8')));
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, spec] of Object.entries(chartSpecs(results))) {
    const file = path.join(dir, `${name}.svg`);
    fs.writeFileSync(file, await renderSvg(spec));
    written.push(file);
  }
  return written;
}

// `npm run bench:charts [results file]`: redraws from a results file (the newest one by default).
if (import.meta.url === `file://${process.argv[1]}`) {
  const newest = fs
    .readdirSync('bench/results')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .at(-1);
  const file = process.argv[2] ?? (newest && path.join('bench/results', newest));
  if (!file) throw new Error('no results file in bench/results: run npm run bench first');
  for (const written of await drawCharts(file, 'docs/images')) console.log(`drew ${written}`);
}
