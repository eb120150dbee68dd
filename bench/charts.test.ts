import { describe, expect, it } from 'vitest';
import { type ChartedResults, chartedResults, chartSpecs, renderSvg } from './charts.js';

const run = (p50: number, p99: number) => ({ perSecond: 100, p50, p99 });
const results: ChartedResults = {
  ingest: {
    bareSqlite: { rates: { '100': run(2, 6), '300': run(1.6, 5.4) } },
    baton: { rates: { '100': run(7.9, 62.5), '300': run(16.3, 127) } },
  },
  liveStreams: {
    bare: {
      curve: [
        { streams: 0, heapBytes: 0 },
        { streams: 500, heapBytes: 2 * 1024 * 1024 },
      ],
    },
    baton: {
      curve: [
        { streams: 0, heapBytes: 0 },
        { streams: 500, heapBytes: 3 * 1024 * 1024 },
      ],
    },
  },
};

/** The data values of a chart's spec (every chart here carries them inline). */
function valuesOf(name: string, from: ChartedResults = results): unknown[] {
  const spec = chartSpecs(from)[name];
  const values = spec && 'data' in spec && spec.data && 'values' in spec.data ? spec.data.values : undefined;
  if (!Array.isArray(values)) throw new Error(`no inline values in ${name}`);
  return values;
}

const answer = (p50: number, p99: number) => ({ answer: { p50, p99 } });

describe('bench charts', () => {
  it('plots each server p50 and p99 at each offered rate, by its readable name', () => {
    expect(valuesOf('bench-ingest-latency')).toEqual([
      { server: 'bare HTTP + SQLite', offered: 100, percentile: 'p50', ms: 2 },
      { server: 'bare HTTP + SQLite', offered: 100, percentile: 'p99', ms: 6 },
      { server: 'bare HTTP + SQLite', offered: 300, percentile: 'p50', ms: 1.6 },
      { server: 'bare HTTP + SQLite', offered: 300, percentile: 'p99', ms: 5.4 },
      { server: 'Baton', offered: 100, percentile: 'p50', ms: 7.9 },
      { server: 'Baton', offered: 100, percentile: 'p99', ms: 62.5 },
      { server: 'Baton', offered: 300, percentile: 'p50', ms: 16.3 },
      { server: 'Baton', offered: 300, percentile: 'p99', ms: 127 },
    ]);
  });

  it('plots heap in MB against open streams', () => {
    expect(valuesOf('bench-stream-memory')).toContainEqual({ server: 'Baton', streams: 500, heapMB: 3 });
    expect(valuesOf('bench-stream-memory')).toContainEqual({
      server: 'bare SSE server',
      streams: 500,
      heapMB: 2,
    });
  });

  it('plots each round of POST → stream, p50 and p99 of both servers', () => {
    const rounds = { postToStream: { rounds: [{ echo: answer(3, 10), baton: answer(6.9, 25.3) }] } };
    expect(valuesOf('bench-post-to-stream', rounds)).toEqual([
      { round: 'round 1', series: 'SSE + SQLite echo p50', ms: 3 },
      { round: 'round 1', series: 'SSE + SQLite echo p99', ms: 10 },
      { round: 'round 1', series: 'Baton p50', ms: 6.9 },
      { round: 'round 1', series: 'Baton p99', ms: 25.3 },
    ]);
  });

  it('leaves out a chart whose section the results file lacks or has in an older shape', () => {
    expect(Object.keys(chartSpecs(results)).sort()).toEqual(['bench-ingest-latency', 'bench-stream-memory']);
    // Files from before the stream curve and the rounds (one POST → stream run, echo and Baton at the top).
    const older = chartedResults.parse({
      liveStreams: { bare: { heapPerStreamBytes: 1 }, baton: { heapPerStreamBytes: 2 } },
      postToStream: { echo: answer(3, 10), baton: answer(7, 25), p99Ratio: 2.5 },
    });
    expect(chartSpecs(older)).toEqual({});
  });

  it('renders an SVG with the title and a legend naming every server', async () => {
    const svg = await renderSvg(chartSpecs(results)['bench-ingest-latency']!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Acknowledgement latency against offered rate');
    expect(svg).toMatch(
      /aria-roledescription="legend" aria-label="[^"]*2 values: Baton, bare HTTP \+ SQLite"/,
    );
  });
});
