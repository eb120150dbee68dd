import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';
import { answerBenchRequests } from './bench-requests.js';

/**
 * The ingest baselines, as their own process: a bare node:http server that parses a JSON message and
 * answers 201 with it, and (with a database path) first inserts it into SQLite in WAL mode with
 * synchronous=FULL, one commit per message: the least a durable chat server must do. Prints its URL.
 * Args: [db path].
 */
const [dbPath] = process.argv.slice(2);
const insert = dbPath ? openDb(dbPath) : undefined;

function openDb(file: string) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'create table if not exists messages (seq integer primary key, conversation text not null, text text not null, created_at text not null)',
  );
  const stmt = db.prepare(
    'insert into messages (conversation, text, created_at) values (?, ?, ?) returning seq',
  );
  return (conversation: string, text: string) =>
    (stmt.get(conversation, text, new Date().toISOString()) as { seq: number }).seq;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString()) as { text: string };
    const seq = insert ? insert(req.url ?? '/', message.text) : 0;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: { ...message, seq } }));
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
answerBenchRequests();
