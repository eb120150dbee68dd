import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Conversation } from '../conversation/conversation.js';
import {
  authenticate,
  type ConversationDeps,
  postCustomerMessage,
} from '../conversation/conversation-service.js';
import { AppError } from '../lib/errors.js';
import type { AddressLimit, SharedLimit } from './chat-limits.js';
import { answerRefusal, sendError, splitTarget } from './http-errors.js';
import { messageView } from './message-view.js';
import {
  bearerToken,
  conversationIdParam,
  decodedPathSegment,
  MAX_MESSAGE_CHARS,
  postMessageBody,
} from './schemas.js';

/** `/api/v1/conversations/:id/messages`, as Express routes it: any case, an optional trailing slash. */
const MESSAGES_PATH = /^\/api\/v1\/conversations\/([^/]+)\/messages\/?$/i;

/** Validates and stores a customer's message; the answer both message routes send with 201. */
export async function acceptCustomerMessage(
  deps: ConversationDeps,
  conversation: Conversation,
  rawBody: unknown,
  opts: { mayHandOff: () => Promise<boolean> },
) {
  const body = postMessageBody.parse(rawBody);
  if (body.text.length === 0) throw new AppError('bad_request', 'text: message is empty');
  if (body.text.length > MAX_MESSAGE_CHARS) {
    throw new AppError('payload_too_large', `text: messages are limited to ${MAX_MESSAGE_CHARS} characters`);
  }
  const message = await postCustomerMessage(deps, conversation, {
    text: body.text,
    clientMessageId: body.clientMessageId,
    mayHandOff: opts.mayHandOff,
  });
  return { message: messageView(message) };
}

/** A node:http body parser (body-parser's json, the one Express's router uses for the chat API). */
export type BodyParser = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface MessageRouteOptions {
  address: (req: IncomingMessage) => string;
  /** The API's response headers for this request (see stream-route.ts). */
  headers: (req: IncomingMessage) => Record<string, string>;
  parseJson: BodyParser;
  writesFromAddress: Pick<AddressLimit, 'take' | 'windowMs' | 'message'>;
  writesPerConversation: Pick<SharedLimit, 'take' | 'windowMs' | 'message'>;
  handoffs: Pick<AddressLimit, 'take'>;
}

/**
 * POST /api/v1/conversations/:id/messages, served by node:http itself rather than Express: it is the
 * request a busy shop sends most, and Express's middleware (a child logger and request id, the router,
 * two rate-limit middlewares, header middleware) was about a tenth of the time Baton spent on each
 * message. The steps are the Express route's, in its order and with its pieces: the API's headers,
 * the JSON body (the same parser and limit), the id check, the address's write allowance, the token,
 * the conversation's write allowance (one store each with the Express routes), and the same answers.
 *
 * Differences from the Express route, on purpose: no RateLimit headers and no per-request log line
 * (refusals are logged as before); absolute-form request targets are left to Express.
 *
 * Returns a request listener that serves customer messages and hands every other request to `next`.
 */
export function withMessageRoute(
  deps: ConversationDeps & { log: Logger },
  opts: MessageRouteOptions,
  next: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = deps.log.child({ component: 'http' });

  // body-parser leaves what it parsed on the request as `body`.
  const readBody = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) =>
    new Promise<unknown>((resolve, reject) =>
      opts.parseJson(req, res, (error) => (error === undefined ? resolve(req.body) : reject(error))),
    );

  const refuse = (
    res: ServerResponse,
    limit: { windowMs: number; message: string },
    headers: Record<string, string>,
  ) =>
    sendError(res, 429, 'rate_limited', limit.message, {
      ...headers,
      'retry-after': String(Math.ceil(limit.windowMs / 1000)),
    });

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    rawId: string,
    headers: Record<string, string>,
  ) {
    const body = await readBody(req, res);
    const id = decodedPathSegment(rawId);
    if (!conversationIdParam.safeParse(id).success) throw new AppError('not_found', 'No such conversation');
    const address = opts.address(req);
    if (!(await opts.writesFromAddress.take(address))) return refuse(res, opts.writesFromAddress, headers);
    const conversation = await authenticate(deps, id, bearerToken(req.headers.authorization));
    if (!(await opts.writesPerConversation.take(conversation.id)))
      return refuse(res, opts.writesPerConversation, headers);
    const answer = await acceptCustomerMessage(deps, conversation, body, {
      mayHandOff: () => opts.handoffs.take(address),
    });
    const json = JSON.stringify(answer);
    res.writeHead(201, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
    });
    res.end(json);
  }

  return (req, res) => {
    const { path } = splitTarget(req);
    const match = req.method === 'POST' ? MESSAGES_PATH.exec(path) : null;
    if (!match) return next(req, res);
    const headers = opts.headers(req);
    void serve(req, res, match[1]!, headers).catch((error: unknown) =>
      answerRefusal(req, res, path, error, log, headers),
    );
  };
}
