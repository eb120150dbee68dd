import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerBenchRequests } from './bench-requests.js';

/**
 * The live-stream baseline: a bare node:http server-sent-events endpoint. Each GET gets the event-stream
 * headers, a retry hint and one event, and is held open with a comment every 20 s (as Baton pings).
 * Prints its URL.
 */
const PING_MS = 20_000;
const open = new Set<http.ServerResponse>();
setInterval(() => {
  for (const res of open) res.write(': ping\n\n');
}, PING_MS).unref();

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write('retry: 2000\n\nevent: status\ndata: {"status":"bot"}\n\n');
  open.add(res);
  res.on('close', () => open.delete(res));
});
server.maxConnections = 20_000;
// The same listen backlog as Baton (create-app's LISTEN_BACKLOG), so a storm meets the same kernel queue.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
answerBenchRequests();
