import express, { type Request, type Response, Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import {
  authenticate,
  type ConversationDeps,
  leaveFollowUpEmail,
  postCustomerMessage,
  requestHandoff,
  startConversation,
  submitCsat,
} from '../conversation/conversation-service.js';
import { AppError } from '../lib/errors.js';
import { listMessages } from '../conversation/message-repository.js';
import { sendError } from './http-errors.js';
import type { LiveHub } from './live-hub.js';
import { conversationView, messageView } from './message-view.js';
import {
  afterQuery,
  conversationIdParam,
  createConversationBody,
  csatBody,
  emailBody,
  MAX_MESSAGE_CHARS,
  postMessageBody,
} from './schemas.js';
import { openStream } from './stream.js';

export interface ChatRouteLimits {
  conversationsPerMinute: number;
  messagesPerMinute: number;
}

function bearer(req: Request): string | undefined {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  return match?.[1];
}

function limiter(perMinute: number, key: (req: Request) => string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, res, _next, options) => {
      res.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
      sendError(res, 429, 'rate_limited', 'Too many requests, please slow down');
    },
  });
}

/** The public chat API, v1 (docs/api.md). Every input is parsed with zod before it reaches a service. */
export function createChatRouter(deps: ConversationDeps & { hub: LiveHub }, limits: ChatRouteLimits): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb', strict: true }));
  const ip = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  async function authed(req: Request) {
    const id = conversationIdParam.safeParse(req.params.id);
    if (!id.success) throw new AppError('not_found', 'No such conversation');
    return authenticate(deps, id.data, bearer(req));
  }

  router.post(
    '/conversations',
    limiter(limits.conversationsPerMinute, ip),
    async (req: Request, res: Response) => {
      const body = createConversationBody.parse(req.body ?? {});
      const { conversation, token } = await startConversation(deps, body);
      res.status(201).json({ conversation: { id: conversation.id, status: conversation.status }, token });
    },
  );

  const perConversation = limiter(limits.messagesPerMinute, (req) => `${String(req.params.id)}|${ip(req)}`);

  router.post('/conversations/:id/messages', perConversation, async (req, res) => {
    const conversation = await authed(req);
    const body = postMessageBody.parse(req.body);
    const text = body.text.trim();
    if (text.length === 0) throw new AppError('bad_request', 'text: message is empty');
    if (text.length > MAX_MESSAGE_CHARS) {
      throw new AppError(
        'payload_too_large',
        `text: messages are limited to ${MAX_MESSAGE_CHARS} characters`,
      );
    }
    const message = await postCustomerMessage(deps, conversation, {
      text,
      clientMessageId: body.clientMessageId,
    });
    res.status(201).json({ message: messageView(message) });
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const conversation = await authed(req);
    const { after } = afterQuery.parse(req.query);
    // A page of 500; `hasMore` says to ask again with `after` = the last seq received.
    const page = await listMessages(deps.db, conversation.id, after, 501);
    res.json({
      conversation: await conversationView(deps.db, conversation),
      messages: page.slice(0, 500).map(messageView),
      hasMore: page.length > 500,
    });
  });

  router.get('/conversations/:id/stream', async (req, res) => {
    const conversation = await authed(req);
    const lastEventId = req.header('last-event-id');
    const { after } = afterQuery.parse({ after: lastEventId ?? req.query.after });
    if (after > conversation.lastSeq) throw new AppError('bad_request', 'after: beyond the latest message');
    await openStream({ db: deps.db, hub: deps.hub, log: deps.log }, req, res, conversation, after);
  });

  router.post('/conversations/:id/handoff', perConversation, async (req, res) => {
    const conversation = await authed(req);
    const updated = await requestHandoff(deps, conversation);
    res.status(202).json({ conversation: await conversationView(deps.db, updated) });
  });

  router.post('/conversations/:id/csat', perConversation, async (req, res) => {
    const conversation = await authed(req);
    const body = csatBody.parse(req.body);
    await submitCsat(deps, conversation, body.score, body.comment);
    res.status(201).json({ csat: { score: body.score } });
  });

  router.post('/conversations/:id/email', perConversation, async (req, res) => {
    const conversation = await authed(req);
    const body = emailBody.parse(req.body);
    await leaveFollowUpEmail(deps, conversation, body.email);
    res.status(200).json({ email: body.email });
  });

  router.use((_req, res) => sendError(res, 404, 'not_found', 'No such endpoint'));
  return router;
}
