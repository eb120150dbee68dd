import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { envelopeEventId, listenerLog, slackEventId } from './listener-log.js';

describe('slackEventId', () => {
  it('names a delivery by event_id, then trigger_id, then the action timestamp', () => {
    expect(slackEventId({ event_id: 'Ev1', event: {} })).toBe('Ev1');
    expect(slackEventId({ trigger_id: 'T1', actions: [{ action_ts: '1.2' }] })).toBe('T1');
    expect(slackEventId({ actions: [{ action_ts: '1.2' }] })).toBe('1.2');
    expect(slackEventId({ command: '/baton' })).toBeUndefined();
    expect(slackEventId(undefined)).toBeUndefined();
  });

  it('reads event_id only from an Events API envelope', () => {
    expect(envelopeEventId({ trigger_id: 'T1' })).toBeUndefined();
    expect(envelopeEventId({ event_id: '' })).toBeUndefined();
  });
});

describe('listenerLog', () => {
  it('binds the event id and the listener to every line', () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({}, { write: (line: string) => lines.push(JSON.parse(line)) });
    listenerLog(root, 'handoff_claim', { trigger_id: 'T9' })
      .child({ handoffId: 'h_1' })
      .info('claim handled');
    expect(lines[0]).toMatchObject({ eventId: 'T9', listener: 'handoff_claim', handoffId: 'h_1' });
  });
});
