import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createSseParser } from '../src/webchat/public/stream-parser.js';
import { startConversations } from './conversations.js';
import { batonServerScript, type ServerProcess, startServerProcess } from './server-process.js';

/**
 * Reconnect storm (issue 12): `count` customers hold live streams, the server restarts, and every one of
 * them reconnects at once. Measured from the first reconnect to the last client resynced, beside a bare
 * server-sent-events server taking the same storm. Connects are kept at most `inFlight` at a time for
 * both servers, and both listen with a backlog of 4,096: with Node's default of 511, a storm of 10,000
 * with 1,000 connects in flight had Baton's connects reset while its event loop was busy.
 *
 * Each Baton conversation has one customer message and the assistant's answer. To make every client
 * need a replay, each one "loses" the last message it saw and reconnects with the id of the one before
 * (as a page that missed the last event would): Baton must replay exactly that message. At the end every
 * client must hold each seq of its conversation once, with no gap.
 */

const DEADLINE_MS = 120_000;

interface Client {
  conversationId: string;
  token: string;
  seqs: number[];
  resynced: boolean;
  req?: http.ClientRequest;
}

/** Opens a stream and feeds its events to the client's record; resolves once the response has started. */
function connect(origin: string, client: Client, lastEventId: number | undefined, onResync: () => void) {
  return new Promise<void>((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${client.token}` };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const url = client.conversationId
      ? `${origin}/api/v1/conversations/${client.conversationId}/stream`
      : `${origin}/`;
    const req = http.get(url, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`stream answered ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      const parser = createSseParser({
        onEvent: ({ event, id }) => {
          if (id !== undefined) client.seqs.push(Number(id));
          // Resynced: the status came, and (for Baton after the restart) the replay of what it missed.
          if (event === 'status' && lastEventId === undefined) onResync();
          if (event === 'message' && lastEventId !== undefined && Number(id) > lastEventId) onResync();
        },
      });
      res.on('data', (chunk: string) => parser.push(chunk));
      // The restart breaks every stream of the old server, sometimes with a reset: expected, not a failure.
      res.on('error', () => undefined);
      resolve();
    });
    req.on('error', reject);
    client.req = req;
  });
}

/** Connects every client, at most `inFlight` connects at a time; resolves when all have resynced. */
async function storm(
  origin: string,
  clients: Client[],
  lastEventIds: (number | undefined)[],
  inFlight: number,
) {
  let resynced = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < clients.length) {
      const i = next;
      next += 1;
      const client = clients[i]!;
      client.resynced = false;
      await connect(origin, client, lastEventIds[i], () => {
        if (client.resynced) return;
        client.resynced = true;
        resynced += 1;
        if (resynced === clients.length) allDone();
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  // Bounded: a storm that does not resync within the deadline is reported, not waited for.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`only ${resynced} of ${clients.length} clients resynced in ${DEADLINE_MS / 1000} s`),
        ),
      DEADLINE_MS,
    );
  });
  try {
    await Promise.race([done, deadline]);
  } finally {
    clearTimeout(timer);
  }
  return (performance.now() - started) / 1000;
}

const quiet = (clients: Client[], ms: number) =>
  new Promise<void>((resolve) => {
    let last = clients.reduce((n, c) => n + c.seqs.length, 0);
    const timer = setInterval(() => {
      const now = clients.reduce((n, c) => n + c.seqs.length, 0);
      if (now === last) {
        clearInterval(timer);
        resolve();
      }
      last = now;
    }, ms);
  });

async function batonStorm(count: number, inFlight: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-storm-'));
  const db = path.join(dir, 'storm.db');
  let server: ServerProcess = await startServerProcess(batonServerScript(), [db]);
  try {
    const sessions = await startConversations(server.url, count);
    for (let i = 0; i < sessions.length; i += 200)
      await Promise.all(
        sessions.slice(i, i + 200).map((s) =>
          fetch(`${server.url}/api/v1/conversations/${s.id}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
            body: JSON.stringify({ text: 'Where is my order?' }),
          }),
        ),
      );
    const clients: Client[] = sessions.map((s) => ({
      conversationId: s.id,
      token: s.token,
      seqs: [],
      resynced: false,
    }));
    await storm(server.url, clients, [], inFlight);
    await quiet(clients, 2000);
    const lastSeqs = clients.map((c) => Math.max(0, ...c.seqs));
    // The restart: every stream ends, a new process opens the same database.
    await server.stop();
    server = await startServerProcess(batonServerScript(), [db]);
    // Each client forgets the last message it saw, and asks from the one before it.
    for (const c of clients) c.seqs = c.seqs.filter((seq) => seq < Math.max(...c.seqs));
    const seconds = await storm(
      server.url,
      clients,
      lastSeqs.map((seq) => seq - 1),
      inFlight,
    );
    await quiet(clients, 1000);
    let missed = 0;
    let doubled = 0;
    clients.forEach((c, i) => {
      doubled += c.seqs.length - new Set(c.seqs).size;
      for (let seq = 1; seq <= lastSeqs[i]!; seq += 1) if (!c.seqs.includes(seq)) missed += 1;
    });
    for (const c of clients) c.req?.destroy();
    return {
      count,
      seconds,
      messagesPerConversation: lastSeqs.reduce((a, b) => a + b, 0) / count,
      missed,
      doubled,
    };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function bareStorm(count: number, inFlight: number) {
  const server = await startServerProcess('bench/servers/bare-sse.ts');
  try {
    const clients: Client[] = Array.from({ length: count }, () => ({
      conversationId: '',
      token: '',
      seqs: [],
      resynced: false,
    }));
    const seconds = await storm(server.url, clients, [], inFlight);
    for (const c of clients) c.req?.destroy();
    return { count, seconds };
  } finally {
    await server.stop();
  }
}

export async function benchReconnectStorm(count = 10_000, inFlight = 1000) {
  // Which server's storm failed is named: a connection reset says nothing of where it happened.
  const named = (server: string) => (e: Error) => {
    throw new Error(`${server} storm: ${e.message}`, { cause: e });
  };
  const bare = await bareStorm(count, inFlight).catch(named('bare'));
  const baton = await batonStorm(count, inFlight).catch(named('baton'));
  return { bare, baton, ratio: baton.seconds / bare.seconds };
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await benchReconnectStorm(Number(process.env.STREAMS ?? 10_000)));
