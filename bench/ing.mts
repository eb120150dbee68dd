import { benchIngest } from './ingest.js';
const r = await benchIngest({ seconds: 6, rates: [100, 300, 1000] });
for (const [k, v] of Object.entries(r)) console.log(k, JSON.stringify({ sat: { ps: Math.round(v.saturated.perSecond), cpu: Math.round(v.saturated.serverCpuPercent), relay: v.saturated.relay }, rates: Object.fromEntries(Object.entries(v.rates).map(([rate, x]) => [rate, { ps: Math.round(x.perSecond), p50: x.p50, p99: x.p99, relay: x.relay }])) }));
