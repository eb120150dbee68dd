import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';

/**
 * The baseline for Slack acknowledgements: a bare node:http server that does the least a durable Slack
 * receiver must (verify the signature, write the delivery to SQLite with synchronous=FULL, answer 200)
 * and nothing else. Runs as its own process; prints its URL on stdout. Args: signing secret, db path.
 */
const [secret = '', dbPath = ':memory:'] = process.argv.slice(2);
const db = new SQLite(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists inbox (id text primary key, body text not null)');
const insert = db.prepare('insert or ignore into inbox (id, body) values (?, ?)');

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
    const expected = Buffer.from(
      `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
    );
    const given = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const parsed = JSON.parse(body) as { event_id?: string };
    insert.run(parsed.event_id ?? String(Date.now()), body);
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
