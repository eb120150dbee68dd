import { describe, expect, it } from 'vitest';
import { call } from './slack-call-worker.js';

describe('the Slack call thread', () => {
  it('refuses a call it is handed after the outbox has given up on it, without calling Slack', async () => {
    // Past `notAfter` the outbox has written the call off (and may be checking the channel for it): a post
    // made now could land after that check and be posted twice.
    const outcome = await call({
      method: 'chat.postMessage',
      args: { channel: 'C1', text: 'late' },
      notAfter: Date.now() - 1,
    });
    expect(outcome).toEqual({
      ok: false,
      failure: { message: 'chat.postMessage was not started in time', code: 'slack_call_late' },
    });
  });

  it('refuses a task that is not a Slack call', async () => {
    await expect(
      call({ method: 'admin.users.remove', args: {}, notAfter: Date.now() + 1000 }),
    ).rejects.toThrow();
  });
});
