import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';
import { answerBenchRequests } from './bench-requests.js';

/**
 * The POST → stream baseline: the least a durable chat server with live updates must do. A POST to
 * /c/:id/messages stores the message (one commit, WAL, synchronous=FULL) and answers 201; then it stores
 * an echo as the reply (a second commit, as Baton stores its answer) and writes it to that conversation's
 * server-sent-events streams (GET /c/:id/stream). No routing library, no validation, no assistant.
 * Prints its URL. Args: db path.
 */
const [dbPath = ':memory:'] = process.argv.slice(2);
const db = new SQLite(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'create table if not exists messages (seq integer primary key, conversation text not null, author text not null, text text not null, created_at text not null)',
);
const insert = db.prepare(
  'insert into messages (conversation, author, text, created_at) values (?, ?, ?, ?) returning seq',
);
const store = (conversation: string, author: string, text: string) =>
  (insert.get(conversation, author, text, new Date().toISOString()) as { seq: number }).seq;

const streams = new Map<string, Set<http.ServerResponse>>();
const ROUTE = /^\/c\/([^/]+)\/(messages|stream)$/;

const server = http.createServer((req, res) => {
  const [, conversation, what] = ROUTE.exec(req.url ?? '') ?? [];
  if (!conversation) return void res.writeHead(404).end();
  if (what === 'stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write('retry: 2000\n\nevent: status\ndata: {"status":"bot"}\n\n');
    const open = streams.get(conversation) ?? new Set();
    streams.set(conversation, open.add(res));
    res.on('close', () => open.delete(res));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString()) as { text: string };
    const seq = store(conversation, 'customer', message.text);
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: { ...message, seq } }));
    setImmediate(() => {
      const reply = { seq: store(conversation, 'bot', message.text), author: 'bot', text: message.text };
      const frame = `id: ${reply.seq}\nevent: message\ndata: ${JSON.stringify(reply)}\n\n`;
      for (const stream of streams.get(conversation) ?? []) stream.write(frame);
    });
  });
});
answerBenchRequests();
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
