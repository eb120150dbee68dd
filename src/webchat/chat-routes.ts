import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Conversation } from '../conversation/conversation.js';
import {
  authenticate,
  type ConversationDeps,
  leaveFollowUpEmail,
  requestHandoff,
  startConversation,
  submitCsat,
} from '../conversation/conversation-service.js';
import { AppError } from '../lib/errors.js';
import { listMessages } from '../conversation/message-repository.js';
import {
  type AddressLimit,
  addressOf,
  type ChatRouteLimits,
  limiter,
  type SharedLimit,
  sharedAddressLimit,
  sharedLimit,
} from './chat-limits.js';
import { acceptCustomerMessage, type BodyParser } from './message-route.js';
import { sendError } from './http-errors.js';
import { widgetConfigHandler } from './widget-config-route.js';
import { conversationView, messageView } from './message-view.js';
import { createWaitEstimator } from '../handoff/wait-service.js';
import { transcriptRoute } from './transcript-route.js';
import { recordReceipts } from '../handoff/delivery-marks.js';
import { withWait } from './wait-view.js';
import {
  afterQuery,
  bearerToken,
  conversationIdParam,
  createConversationBody,
  csatBody,
  emailBody,
  receiptsBody,
} from './schemas.js';

export type { ChatRouteLimits } from './chat-limits.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The conversation each in-flight request authenticated for (set by `authed`, gone with the response). */
const authenticated = new WeakMap<Response, Conversation>();
function conversationOf(res: Response): Conversation {
  const conversation = authenticated.get(res);
  if (!conversation) throw new Error('route is missing the authed middleware');
  return conversation;
}

/**
 * What a visitor's requests take from. Each is one store shared by the Express routes and the routes
 * served before Express (the live stream and customer messages): one allowance, however a request comes in.
 */
export interface ChatAllowances {
  /** History reads and stream opens per address. */
  reads: AddressLimit;
  /** Messages, CSAT, emails, transcripts and handoff requests per address, across its conversations. */
  writesFromAddress: AddressLimit;
  /** The same writes per conversation, taken once the request is authenticated. */
  writesPerConversation: SharedLimit;
  /** Every way a visitor can start a handoff: the button and the message triggers. */
  handoffs: AddressLimit;
}

export function createChatAllowances(limits: ChatRouteLimits): ChatAllowances {
  const slowDown = 'Too many requests, please slow down';
  return {
    reads: sharedAddressLimit(MINUTE, limits.readsPerAddressPerMinute, slowDown),
    writesFromAddress: sharedAddressLimit(MINUTE, limits.writesPerAddressPerMinute, slowDown),
    writesPerConversation: sharedLimit(
      MINUTE,
      limits.messagesPerMinute,
      slowDown,
      (_req, res) => conversationOf(res).id,
    ),
    handoffs: sharedAddressLimit(
      HOUR,
      limits.handoffsPerAddressPerHour,
      'Too many requests for a person from your network; please try again later',
    ),
  };
}

/** The public chat API, v1 (docs/api.md). Every input is parsed with zod before it reaches a service. */
export function createChatRouter(
  deps: ConversationDeps,
  limits: ChatRouteLimits,
  { reads, writesFromAddress, writesPerConversation, handoffs }: ChatAllowances,
  /** The JSON body parser, shared with the message route served before Express. */
  parseJson: BodyParser,
): Router {
  const router = Router();
  router.use(parseJson);
  // What a customer waiting for a person is told about the wait (claim times cached, see wait-service).
  const waitFor = createWaitEstimator(deps);

  // A malformed id is answered before any limiter, lookup or log line sees it.
  router.param('id', (_req, _res, next, id: unknown) => {
    next(
      conversationIdParam.safeParse(id).success
        ? undefined
        : new AppError('not_found', 'No such conversation'),
    );
  });
  const authed = async (req: Request, res: Response, next: NextFunction) => {
    authenticated.set(
      res,
      await authenticate(deps, String(req.params.id), bearerToken(req.header('authorization'))),
    );
    next();
  };

  // Per address first (bounded by the number of addresses), then per conversation once authenticated.
  const write = [writesFromAddress.route, authed, writesPerConversation.route];

  router.post(
    '/conversations',
    limiter(MINUTE, limits.conversationsPerMinute, addressOf),
    limiter(HOUR, limits.conversationsPerHour, addressOf),
    async (req: Request, res: Response) => {
      const body = createConversationBody.parse(req.body ?? {});
      const { conversation, token } = await startConversation(deps, body);
      res.status(201).json({ conversation: { id: conversation.id, status: conversation.status }, token });
    },
  );

  // Served before Express (message-route.ts); here for what that route leaves to Express, such as a
  // request target in absolute form. Both answer with acceptCustomerMessage.
  router.post('/conversations/:id/messages', ...write, async (req, res) => {
    const answer = await acceptCustomerMessage(deps, conversationOf(res), req.body, {
      mayHandOff: () => handoffs.take(addressOf(req)),
    });
    res.status(201).json(answer);
  });

  router.get('/conversations/:id/messages', reads.route, authed, async (req, res) => {
    const conversation = conversationOf(res);
    const { after } = afterQuery.parse(req.query);
    // A page of 500; `hasMore` says to ask again with `after` = the last seq received.
    const page = await listMessages(deps.db, conversation.id, after, 501);
    res.json({
      conversation: {
        ...(await conversationView(deps.db, conversation)),
        ...withWait(await waitFor(conversation)),
      },
      messages: page.slice(0, 500).map(messageView),
      hasMore: page.length > 500,
    });
  });

  // Delivery marks for the agents (delivery-marks.ts): counted with history reads, never with messages.
  router.post('/conversations/:id/receipts', reads.route, authed, async (req, res) => {
    const body = receiptsBody.parse(req.body);
    await recordReceipts(deps, conversationOf(res).id, body);
    res.status(204).end();
  });

  router.post('/conversations/:id/handoff', ...write, handoffs.route, async (_req, res) => {
    const updated = await requestHandoff(deps, conversationOf(res));
    res.status(202).json({
      conversation: { ...(await conversationView(deps.db, updated)), ...withWait(await waitFor(updated)) },
    });
  });

  router.post('/conversations/:id/csat', ...write, async (req, res) => {
    const body = csatBody.parse(req.body);
    await submitCsat(deps, conversationOf(res), body.score, body.comment);
    res.status(201).json({ csat: { score: body.score } });
  });

  router.post('/conversations/:id/email', ...write, async (req, res) => {
    const body = emailBody.parse(req.body);
    await leaveFollowUpEmail(deps, conversationOf(res), body.email);
    res.status(200).json({ email: body.email });
  });

  router.post('/conversations/:id/transcript', ...write, ...transcriptRoute(deps, conversationOf));

  // The widget's look for every shop page view: public, cached, and counted with history reads.
  router.get('/widget-config', reads.route, widgetConfigHandler(deps));

  router.use((_req, res) => sendError(res, 404, 'not_found', 'No such endpoint'));
  return router;
}
