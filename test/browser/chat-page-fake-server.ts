// In-memory fake of the Baton web-chat API (/api/v1) plus the static chat page,
// for the chat page's browser test and screenshot script only. Implements the
// contract the page relies on; test hooks let a test play bot, agent and network.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PUBLIC_DIR = fileURLToPath(new URL('../../src/webchat/public/', import.meta.url));
export const CSP = "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

export type Author = 'customer' | 'bot' | 'agent' | 'system';
export type Status = 'bot' | 'waiting' | 'claimed' | 'queued' | 'resolved';

export interface Article {
  id: string;
  title: string;
  url?: string;
}

export interface Message {
  id: string;
  seq: number;
  author: Author;
  text: string;
  createdAt: string;
  agent?: { name: string };
  articles?: Article[];
  clientMessageId?: string;
  editedAt?: string;
  deleted?: boolean;
}

export interface Conversation {
  id: string;
  token: string;
  status: Status;
  agent?: { name: string };
  customer?: { name?: string; email?: string };
  pageUrl?: string;
  metadata?: Record<string, string>;
  messages: Message[];
  csat?: { score: number; comment?: string };
  followUpEmail?: string;
}

export interface FakeServerOptions {
  /** Reply for a customer message, or null for none. Default: a canned answer with articles. */
  autoReply?: ((text: string, conv: Conversation) => { text: string; articles?: Article[] } | null) | null;
  autoReplyDelayMs?: number;
  /** Handoff goes to `queued` instead of `waiting`. */
  noAgentsAvailable?: boolean;
  pingIntervalMs?: number;
  port?: number;
}

interface Subscriber {
  conversationId: string;
  res: http.ServerResponse;
  ping: NodeJS.Timeout;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const defaultAutoReply = (text: string) => ({
  text: `Thanks for asking about "${text.slice(0, 80)}". Orders usually ship within 2 business days, and you can track them from your account page.`,
  articles: [
    {
      id: 'kb-shipping',
      title: 'Shipping times and tracking',
      url: 'https://help.northwind.example/shipping',
    },
    { id: 'kb-returns', title: 'Returns and refunds', url: 'https://help.northwind.example/returns' },
  ],
});

export class FakeChatServer {
  readonly conversations = new Map<string, Conversation>();
  readonly requests: { method: string; path: string; body?: unknown }[] = [];
  readonly streamConnections: { conversationId: string; after: number }[] = [];
  options: Required<Omit<FakeServerOptions, 'port' | 'autoReply'>> & {
    autoReply: FakeServerOptions['autoReply'];
  };
  /** While true, stream and GET messages requests are refused with 503 (simulates an outage). */
  outage = false;
  /** Next N message POSTs answer 429 with this Retry-After. */
  rateLimitNext = 0;
  rateLimitRetryAfter = 7;
  url = '';
  private seq = 0;
  private subscribers = new Set<Subscriber>();
  private server: http.Server;

  constructor(options: FakeServerOptions = {}) {
    this.options = {
      autoReply: options.autoReply === undefined ? defaultAutoReply : options.autoReply,
      autoReplyDelayMs: options.autoReplyDelayMs ?? 300,
      noAgentsAvailable: options.noAgentsAvailable ?? false,
      pingIntervalMs: options.pingIntervalMs ?? 20000,
    };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) this.error(res, 500, 'internal', String(err));
        else res.destroy();
      });
    });
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${actual}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.dropStreams();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------ test hooks

  /** The most recently created conversation. */
  latest(): Conversation {
    const all = [...this.conversations.values()];
    const last = all[all.length - 1];
    if (!last) throw new Error('no conversation yet');
    return last;
  }

  addMessage(conversationId: string, message: Omit<Message, 'id' | 'seq' | 'createdAt'>): Message {
    const conv = this.mustGet(conversationId);
    const stored: Message = {
      id: `msg_${randomUUID()}`,
      seq: ++this.seq,
      createdAt: new Date().toISOString(),
      ...message,
    };
    conv.messages.push(stored);
    this.broadcast(conv.id, `id: ${stored.seq}\nevent: message\ndata: ${JSON.stringify(stored)}\n\n`);
    return stored;
  }

  botSays(conversationId: string, text: string, articles?: Article[]): Message {
    return this.addMessage(conversationId, { author: 'bot', text, ...(articles ? { articles } : {}) });
  }

  agentSays(
    conversationId: string,
    text: string,
    name = this.mustGet(conversationId).agent?.name ?? 'Agent',
  ) {
    return this.addMessage(conversationId, { author: 'agent', text, agent: { name } });
  }

  setStatus(conversationId: string, status: Status, agentName?: string): void {
    const conv = this.mustGet(conversationId);
    conv.status = status;
    if (agentName) conv.agent = { name: agentName };
    this.broadcast(conv.id, `event: status\ndata: ${JSON.stringify(this.publicConversation(conv))}\n\n`);
  }

  /** What the real server is assumed to do when an agent claims: status + a system line. */
  agentJoins(conversationId: string, name: string): void {
    this.setStatus(conversationId, 'claimed', name);
    this.addMessage(conversationId, { author: 'system', text: `${name} has joined` });
  }

  editMessage(conversationId: string, id: string, text: string): Message {
    const msg = this.mustGetMessage(conversationId, id);
    msg.text = text;
    msg.editedAt = new Date().toISOString();
    this.broadcast(conversationId, `id: ${msg.seq}\nevent: message\ndata: ${JSON.stringify(msg)}\n\n`);
    return msg;
  }

  deleteMessage(conversationId: string, id: string): Message {
    const msg = this.mustGetMessage(conversationId, id);
    msg.deleted = true;
    msg.text = '';
    this.broadcast(conversationId, `id: ${msg.seq}\nevent: message\ndata: ${JSON.stringify(msg)}\n\n`);
    return msg;
  }

  /** Abruptly end every open stream (or one conversation's). */
  dropStreams(conversationId?: string): number {
    let n = 0;
    for (const sub of [...this.subscribers]) {
      if (conversationId && sub.conversationId !== conversationId) continue;
      clearInterval(sub.ping);
      this.subscribers.delete(sub);
      sub.res.destroy();
      n++;
    }
    return n;
  }

  openStreams(conversationId?: string): number {
    return [...this.subscribers].filter((s) => !conversationId || s.conversationId === conversationId).length;
  }

  // ------------------------------------------------------------ internals

  private mustGet(id: string): Conversation {
    const conv = this.conversations.get(id);
    if (!conv) throw new Error(`unknown conversation ${id}`);
    return conv;
  }

  private mustGetMessage(conversationId: string, id: string): Message {
    const msg = this.mustGet(conversationId).messages.find((m) => m.id === id);
    if (!msg) throw new Error(`unknown message ${id}`);
    return msg;
  }

  private publicConversation(conv: Conversation) {
    return { id: conv.id, status: conv.status, ...(conv.agent ? { agent: conv.agent } : {}) };
  }

  private broadcast(conversationId: string, frame: string) {
    for (const sub of this.subscribers) {
      if (sub.conversationId === conversationId) sub.res.write(frame);
    }
  }

  private json(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  private error(
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
  ) {
    this.json(res, status, { error: { code, message } }, headers);
  }

  private async readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) throw Object.assign(new Error('too large'), { tooLarge: true });
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return {};
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  private auth(req: http.IncomingMessage, res: http.ServerResponse, id: string): Conversation | null {
    const conv = this.conversations.get(id);
    if (!conv) {
      this.error(res, 404, 'not_found', 'Conversation not found');
      return null;
    }
    const header = req.headers.authorization ?? '';
    if (header !== `Bearer ${conv.token}`) {
      this.error(res, 401, 'unauthorized', 'Missing or invalid token');
      return null;
    }
    return conv;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) return this.serveStatic(url.pathname, res);

    let body: unknown;
    if (method === 'POST') {
      try {
        body = await this.readBody(req);
      } catch (err) {
        if ((err as { tooLarge?: boolean }).tooLarge)
          return this.error(res, 413, 'too_large', 'Body too large');
        return this.error(res, 400, 'bad_json', 'Body must be JSON');
      }
    }
    this.requests.push({ method, path: url.pathname + url.search, body });
    const b = (body ?? {}) as Record<string, unknown>;

    // The page asks once for the admin's greeting (page-theme.js); this server has none set.
    if (method === 'GET' && url.pathname === '/api/v1/widget-config') {
      return this.json(res, 200, {
        title: null,
        greeting: null,
        launcherLabel: null,
        color: '#1f5fbf',
        position: 'right',
      });
    }

    if (method === 'POST' && url.pathname === '/api/v1/conversations') {
      const conv: Conversation = {
        id: `conv_${randomUUID()}`,
        token: randomBytes(24).toString('base64url'),
        status: 'bot',
        messages: [],
        ...(b.customer ? { customer: b.customer as Conversation['customer'] } : {}),
        ...(typeof b.pageUrl === 'string' ? { pageUrl: b.pageUrl } : {}),
        ...(b.metadata ? { metadata: b.metadata as Record<string, string> } : {}),
      };
      this.conversations.set(conv.id, conv);
      return this.json(res, 201, {
        conversation: { id: conv.id, status: conv.status },
        token: conv.token,
      });
    }

    const m = /^\/api\/v1\/conversations\/([^/]+)\/(messages|stream|handoff|csat|email)$/.exec(url.pathname);
    if (!m) return this.error(res, 404, 'not_found', 'No such route');
    const conv = this.auth(req, res, decodeURIComponent(m[1]!));
    if (!conv) return;
    const action = m[2];
    const after = Number(url.searchParams.get('after') ?? 0) || 0;

    if (this.outage && method === 'GET') return this.error(res, 503, 'unavailable', 'Try again later');

    if (action === 'messages' && method === 'GET') {
      return this.json(res, 200, {
        conversation: this.publicConversation(conv),
        messages: conv.messages.filter((x) => x.seq > after),
      });
    }

    if (action === 'messages' && method === 'POST') {
      const text = b.text;
      if (typeof text !== 'string' || text.trim() === '') {
        return this.error(res, 400, 'invalid_text', 'Message text is required');
      }
      if (text.length > 4000) return this.error(res, 413, 'too_long', 'Message is too long');
      if (this.rateLimitNext > 0) {
        this.rateLimitNext--;
        return this.error(res, 429, 'rate_limited', 'Too many messages', {
          'Retry-After': String(this.rateLimitRetryAfter),
        });
      }
      const clientMessageId = typeof b.clientMessageId === 'string' ? b.clientMessageId : undefined;
      const existing = clientMessageId && conv.messages.find((x) => x.clientMessageId === clientMessageId);
      if (existing) return this.json(res, 201, { message: existing });
      const stored = this.addMessage(conv.id, {
        author: 'customer',
        text,
        ...(clientMessageId ? { clientMessageId } : {}),
      });
      const reply = conv.status === 'bot' ? this.options.autoReply?.(text, conv) : null;
      if (reply) {
        setTimeout(() => {
          if (conv.status === 'bot') this.botSays(conv.id, reply.text, reply.articles);
        }, this.options.autoReplyDelayMs);
      }
      return this.json(res, 201, { message: stored });
    }

    if (action === 'stream' && method === 'GET') {
      this.streamConnections.push({ conversationId: conv.id, after });
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(': connected\n\n');
      for (const msg of conv.messages) {
        if (msg.seq > after) res.write(`id: ${msg.seq}\nevent: message\ndata: ${JSON.stringify(msg)}\n\n`);
      }
      const sub: Subscriber = {
        conversationId: conv.id,
        res,
        ping: setInterval(() => res.write(': ping\n\n'), this.options.pingIntervalMs),
      };
      this.subscribers.add(sub);
      const cleanup = () => {
        clearInterval(sub.ping);
        this.subscribers.delete(sub);
      };
      req.on('close', cleanup);
      res.on('error', cleanup);
      return;
    }

    if (action === 'handoff' && method === 'POST') {
      if (conv.status === 'bot') {
        this.setStatus(conv.id, this.options.noAgentsAvailable ? 'queued' : 'waiting');
      }
      return this.json(res, 202, { conversation: { id: conv.id, status: conv.status } });
    }

    if (action === 'csat' && method === 'POST') {
      const score = b.score;
      if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
        return this.error(res, 400, 'invalid_score', 'Score must be 1-5');
      }
      conv.csat = { score, ...(typeof b.comment === 'string' && b.comment ? { comment: b.comment } : {}) };
      return this.json(res, 201, { ok: true });
    }

    if (action === 'email' && method === 'POST') {
      const email = b.email;
      if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        return this.error(res, 400, 'invalid_email', 'Invalid email');
      }
      conv.followUpEmail = email;
      return this.json(res, 200, { ok: true });
    }

    return this.error(res, 405, 'method_not_allowed', 'Method not allowed');
  }

  private async serveStatic(pathname: string, res: http.ServerResponse) {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = path.resolve(PUBLIC_DIR, rel);
    const ext = path.extname(file);
    if (!file.startsWith(PUBLIC_DIR) || !CONTENT_TYPES[ext] || file.includes('.test.')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('Not found');
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[ext]!,
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      res.end(data);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found');
    }
  }
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeChatServer> {
  const server = new FakeChatServer(options);
  await server.listen(options.port ?? 0);
  return server;
}
