import { afterEach, describe, expect, it } from 'vitest';
import { createEmailWorker, type EmailWorker } from '../../src/email/email-worker.js';
import { createSmtpTransport } from '../../src/email/smtp-transport.js';
import { insertConversation } from '../../src/conversation/conversation-repository.js';
import { type Db, migrateToLatest, openDatabase, type OpenedDatabase } from '../../src/storage/database.js';
import { queueFollowUpEmail } from '../../src/email/follow-up-queue.js';
import { captureLog, type SmtpSink, startSmtp } from '../support/smtp-sink.js';

const FROM = 'Northwind Goods support <support@northwind.example>';
const CUSTOMER = 'pat.customer@example.com';

let opened: OpenedDatabase | undefined;
let worker: EmailWorker | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await worker?.stop();
  await smtp?.close();
  await opened?.close();
  worker = smtp = opened = undefined;
});

async function setup(rejectRcpt?: (attempt: number) => Error | undefined) {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  const now = () => new Date();
  await insertConversation(opened.db, {
    id: 'conv-1',
    tokenHash: 'hash',
    customer: { name: 'Pat' },
    metadata: {},
    now: now().toISOString(),
  });
  smtp = await startSmtp(rejectRcpt);
  const capture = captureLog();
  const w = createEmailWorker({
    db: opened.db,
    transport: createSmtpTransport(smtp.url),
    from: FROM,
    log: capture.log,
    now,
    backoffMs: () => 20,
  });
  worker = w;
  const queue = (messageId = 'msg-1') =>
    queueFollowUpEmail(
      { db: opened!.db, now, kickEmail: w.kick },
      {
        conversationId: 'conv-1',
        messageId,
        to: CUSTOMER,
        agentName: 'Dana',
        brand: 'Northwind Goods',
        conversationUrl: 'https://help.northwind.example/chat/conv-1',
      },
    );
  return { db: opened.db, smtp, worker: w, capture, queue };
}

const rows = (db: Db) => db.selectFrom('email_outbox').selectAll().orderBy('id').execute();
const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

describe('follow-up email over SMTP', () => {
  it('tells the customer a reply is waiting, with From, To, Subject and both renderings', async () => {
    const t = await setup();
    const arrived = t.smtp.nextMail();
    expect(await t.queue()).toBe(true);
    const mail = await arrived;
    await t.worker.idle();

    expect(mail.rcptTo).toEqual([CUSTOMER]);
    expect(mail.mailFrom).toBe('support@northwind.example');
    expect(mail.headers.get('from')).toBe(FROM);
    expect(mail.headers.get('to')).toBe(CUSTOMER);
    expect(mail.headers.get('subject')).toBe('Dana replied to your support conversation');
    expect(mail.headers.get('message-id')).toMatch(/^<baton-email-\d+\.conv-1@northwind\.example>$/);
    expect(mail.parts.get('text/plain')).toContain('Dana from Northwind Goods replied');
    expect(mail.parts.get('text/plain')).toContain('https://help.northwind.example/chat/conv-1');
    expect(mail.parts.get('text/html')).toContain('href="https://help.northwind.example/chat/conv-1"');

    const [row] = await rows(t.db);
    expect(row).toMatchObject({ state: 'sent', attempts: 0, error: null, message_id: 'msg-1' });
    expect(row!.sent_at).not.toBeNull();
    // The outbox id is logged; the recipient and the body never are.
    expect(t.capture.lines.join('')).toContain(`"emailOutboxId":${row!.id}`);
    expect(t.capture.lines.join('')).not.toContain(CUSTOMER);
  });

  it('emails an agent message only once however often it is queued', async () => {
    const t = await setup();
    const arrived = t.smtp.nextMail();
    const results = await Promise.all([t.queue('msg-7'), t.queue('msg-7')]);
    expect(await t.queue('msg-7')).toBe(false);
    expect(results.sort()).toEqual([false, true]);
    await arrived;
    await t.worker.idle();
    expect(t.smtp.received).toHaveLength(1);
    expect(await rows(t.db)).toHaveLength(1);
  });

  it('retries after a temporary 4xx refusal and then delivers', async () => {
    const t = await setup((n) => (n === 0 ? smtpError('Try again later', 451) : undefined));
    const arrived = t.smtp.nextMail();
    const deferred = t.capture.waitFor('email delivery failed: will retry');
    await t.queue();
    expect(await deferred).toMatchObject({ code: 'EENVELOPE_451', attempt: 1 });
    await arrived;
    await t.worker.idle();
    expect(t.smtp.rcptAttempts()).toBe(2);
    expect(t.smtp.received).toHaveLength(1);
    expect(await rows(t.db)).toMatchObject([{ state: 'sent', attempts: 1 }]);
  });

  it('marks a permanently refused email failed without retrying it', async () => {
    const t = await setup(() => smtpError('No such user here', 550));
    const gaveUp = t.capture.waitFor('email could not be delivered: giving up');
    await t.queue();
    expect(await gaveUp).toMatchObject({ code: 'EENVELOPE_550', attempt: 1, permanent: true });
    await t.worker.idle();
    expect(await rows(t.db)).toMatchObject([{ state: 'failed', attempts: 1, error: 'EENVELOPE_550' }]);
    expect(t.smtp.rcptAttempts()).toBe(1);
    expect(await t.worker.pending()).toBe(0);
    // A later kick (the next queued email) does not pick the failed one up again.
    t.worker.kick();
    await t.worker.idle();
    expect(t.smtp.rcptAttempts()).toBe(1);
    expect(t.capture.lines.join('')).not.toContain(CUSTOMER);
  });

  it('gives up after six temporary refusals', async () => {
    const t = await setup(() => smtpError('Greylisted', 451));
    const gaveUp = t.capture.waitFor('email could not be delivered: giving up');
    await t.queue();
    expect(await gaveUp).toMatchObject({ code: 'EENVELOPE_451', attempt: 6, permanent: false });
    await t.worker.idle();
    expect(t.smtp.rcptAttempts()).toBe(6);
    expect(await rows(t.db)).toMatchObject([{ state: 'failed', attempts: 6, error: 'EENVELOPE_451' }]);
    expect(t.smtp.received).toHaveLength(0);
  });
});
