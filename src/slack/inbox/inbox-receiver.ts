import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { isValidSlackRequest } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../storage/database.js';
import { type InboxItem, recordDelivery } from '../../storage/inbox-repository.js';
import { type BotIdentity, classifyDelivery } from './delivery-identity.js';
import { parseSlackBody } from './parse-slack-body.js';

/**
 * Bolt's receiver for both front doors (HTTP and Socket Mode), built around the inbox: a delivery is
 * verified, written to SQLite and only then acknowledged; the listeners run afterwards from the inbox
 * (inbox-worker.ts). No Slack Web API call can sit between a request and its acknowledgement, and a
 * listener that fails is retried instead of lost. Only deliveries whose answer Slack wants inside the
 * acknowledgement (a modal's validation errors) run before it, within Slack's 3 seconds.
 */

/** Slack waits 3 s; an inline answer that is not ready by then is given up (an empty 200). */
export const INLINE_BUDGET_MS = 2500;

export interface InboxReceiverOptions {
  db: Db;
  log: Logger;
  now: () => Date;
  /** The bot's own ids: events it caused itself are acknowledged and dropped, as Bolt would drop them. */
  self?: BotIdentity;
  /** Called after a delivery is recorded, to wake the worker. */
  recorded: () => void;
  /** HTTP mode: verify with this secret and mount /slack/events on `http`. */
  http?: { app: Express; signingSecret: string; path?: string };
  /** Socket Mode: connect with this app-level token. */
  socket?: { appToken: string; slackApiUrl: string };
}

type Ack = (response?: unknown) => Promise<void>;

export class InboxReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly socket: SocketModeClient | undefined;

  constructor(private readonly opts: InboxReceiverOptions) {
    if (opts.http) this.mountHttp(opts.http);
    if (opts.socket) {
      this.socket = new SocketModeClient({
        appToken: opts.socket.appToken,
        clientOptions: { slackApiUrl: opts.socket.slackApiUrl },
      });
      this.socket.on('slack_event', (args: SocketEventArgs) => {
        this.accept(args.body, async (response) => args.ack(response), {
          retryNum: args.retry_num,
          retryReason: args.retry_reason,
        }).catch((error: unknown) => {
          // Not acknowledged: Slack sends the envelope again.
          opts.log.error({ err: error }, 'Slack delivery could not be recorded; Slack will retry');
        });
      });
    }
  }

  init(app: App): void {
    this.bolt = app;
  }

  async start(): Promise<void> {
    if (this.socket) await this.socket.start();
  }

  async stop(): Promise<void> {
    if (this.socket) await this.socket.disconnect();
  }

  /** Runs one recorded delivery through Bolt's listeners; rejects when a listener failed. */
  async process(item: InboxItem): Promise<void> {
    await this.dispatch({
      body: item.body,
      ack: async () => {},
      ...(item.retryNum !== undefined ? { retryNum: item.retryNum } : {}),
      ...(item.retryReason !== undefined ? { retryReason: item.retryReason } : {}),
    });
  }

  private async dispatch(event: ReceiverEvent): Promise<void> {
    if (!this.bolt) throw new Error('InboxReceiver used before Bolt initialised it');
    await this.bolt.processEvent(event);
  }

  /** Records (or answers inline) one delivery; `ack` is the front door's way to answer Slack. */
  private async accept(
    body: Record<string, unknown>,
    ack: Ack,
    retry: { retryNum?: number | undefined; retryReason?: string | undefined },
  ): Promise<void> {
    const route = classifyDelivery(body, this.opts.self);
    const log = this.opts.log;
    switch (route.route) {
      case 'challenge':
        return ack({ challenge: route.challenge });
      case 'ignore':
        if (route.why === 'app_rate_limited')
          log.warn(
            'Slack is holding back events for this app (app_rate_limited): some may arrive late or not at all',
          );
        else log.debug({ why: route.why }, 'Slack request acknowledged, nothing to do');
        return ack();
      case 'inline':
        return this.answerInline(body, ack);
      case 'inbox': {
        // If this write fails, no acknowledgement: Slack retries the event, nothing is lost.
        const fresh = await recordDelivery(
          this.opts.db,
          {
            deliveryId: route.deliveryId,
            kind: route.kind,
            lane: route.lane,
            body,
            ...(retry.retryNum !== undefined ? { retryNum: retry.retryNum } : {}),
            ...(retry.retryReason !== undefined ? { retryReason: retry.retryReason } : {}),
          },
          this.opts.now().toISOString(),
        );
        await ack();
        if (fresh) this.opts.recorded();
        else log.info({ deliveryId: route.deliveryId }, 'Slack redelivery dropped: already in the inbox');
        return;
      }
    }
  }

  private async answerInline(body: Record<string, unknown>, ack: Ack): Promise<void> {
    let answered = false;
    const answer = async (response?: unknown) => {
      if (answered) return;
      answered = true;
      await ack(response);
    };
    const budget = setTimeout(() => {
      answer().catch((error: unknown) =>
        this.opts.log.warn({ err: error }, 'could not answer Slack in time'),
      );
    }, INLINE_BUDGET_MS);
    try {
      await this.dispatch({ body, ack: answer });
    } catch (error) {
      this.opts.log.error({ err: error }, 'inline Slack interaction failed');
    } finally {
      clearTimeout(budget);
      await answer();
    }
  }

  private mountHttp(http: NonNullable<InboxReceiverOptions['http']>) {
    const path = http.path ?? '/slack/events';
    http.app.post(path, express.raw({ type: () => true, limit: '1mb' }), (req: Request, res: Response) => {
      void this.acceptHttp(req, res, http.signingSecret);
    });
  }

  private async acceptHttp(req: Request, res: Response, signingSecret: string): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const valid = isValidSlackRequest({
      signingSecret,
      body: raw,
      headers: {
        'x-slack-signature': req.header('x-slack-signature') ?? '',
        'x-slack-request-timestamp': Number(req.header('x-slack-request-timestamp')),
      },
      nowMilliseconds: this.opts.now().getTime(),
    });
    if (!valid) {
      res.status(401).json({ error: { code: 'bad_signature', message: 'Slack signature did not verify' } });
      return;
    }
    const body = parseSlackBody(raw, req.header('content-type'));
    if (!body) {
      res.status(400).json({ error: { code: 'bad_body', message: 'Slack body could not be parsed' } });
      return;
    }
    const retryNum = Number(req.header('x-slack-retry-num'));
    try {
      await this.accept(
        body,
        async (response) => {
          if (response === undefined) res.status(200).end();
          else res.status(200).json(response);
        },
        {
          retryNum: Number.isInteger(retryNum) ? retryNum : undefined,
          retryReason: req.header('x-slack-retry-reason') ?? undefined,
        },
      );
    } catch (error) {
      this.opts.log.error({ err: error }, 'Slack delivery could not be recorded; Slack will retry');
      if (!res.headersSent)
        res.status(500).json({ error: { code: 'not_recorded', message: 'Could not record; retry' } });
    }
  }
}

interface SocketEventArgs {
  body: Record<string, unknown>;
  ack: (response?: unknown) => Promise<void>;
  retry_num?: number;
  retry_reason?: string;
}
