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
  if (!spec || !('data' in spec) || !spec.data || !('values' in spec.data)) throw new Error(`no ${name}`);
  return spec.data.values as unknown[];
}

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

  it('leaves out a chart whose section the results file lacks (an older file, or a BENCH_ONLY run)', () => {
    expect(Object.keys(chartSpecs(results)).sort()).toEqual(['bench-ingest-latency', 'bench-stream-memory']);
    // A results file from before the curve was recorded still parses, without the memory chart.
    const older = chartedResults.parse({ liveStreams: { bare: {}, baton: {} } });
    expect(chartSpecs(older)).toEqual({});
  });

  it('renders an SVG with the title and every series in its legend', async () => {
    const svg = await renderSvg(chartSpecs(results)['bench-ingest-latency']!);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['Acknowledgement latency against offered rate', 'Baton', 'bare HTTP + SQLite'])
      expect(svg).toContain(text);
  });
});
