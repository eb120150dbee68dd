import { describe, expect, it } from 'vitest';
import { assistantMayAnswer, relaysToSlack, transition } from './lifecycle.js';

describe('conversation state machine', () => {
  it('hands off from bot to waiting, or to queued when no agent can be reached', () => {
    expect(transition('bot', { kind: 'handoff_fired', agentsAvailable: true })).toEqual({
      ok: true,
      status: 'waiting',
      changed: true,
    });
    expect(transition('bot', { kind: 'handoff_fired', agentsAvailable: false })).toEqual({
      ok: true,
      status: 'queued',
      changed: true,
    });
  });

  it('does not hand off twice', () => {
    expect(transition('waiting', { kind: 'handoff_fired', agentsAvailable: true })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(transition('claimed', { kind: 'handoff_fired', agentsAvailable: true })).toMatchObject({
      ok: true,
      status: 'claimed',
      changed: false,
    });
    expect(transition('resolved', { kind: 'handoff_fired', agentsAvailable: true })).toMatchObject({
      ok: false,
    });
  });

  it('lets a waiting or queued conversation be claimed once', () => {
    expect(transition('waiting', { kind: 'claimed' })).toEqual({
      ok: true,
      status: 'claimed',
      changed: true,
    });
    expect(transition('queued', { kind: 'claimed' })).toEqual({ ok: true, status: 'claimed', changed: true });
    expect(transition('claimed', { kind: 'claimed' })).toEqual({ ok: false, reason: 'already claimed' });
    expect(transition('bot', { kind: 'claimed' })).toMatchObject({ ok: false });
  });

  it('resolves once and reopens when the customer writes again', () => {
    expect(transition('claimed', { kind: 'resolved' })).toEqual({
      ok: true,
      status: 'resolved',
      changed: true,
    });
    expect(transition('resolved', { kind: 'resolved' })).toMatchObject({ ok: false });
    expect(transition('resolved', { kind: 'customer_returned' })).toEqual({
      ok: true,
      status: 'bot',
      changed: true,
    });
    expect(transition('claimed', { kind: 'customer_returned' })).toEqual({
      ok: true,
      status: 'claimed',
      changed: false,
    });
  });

  it('lets the assistant speak only before a handoff, and relays only after one', () => {
    expect(assistantMayAnswer('bot')).toBe(true);
    for (const s of ['waiting', 'claimed', 'queued', 'resolved'] as const)
      expect(assistantMayAnswer(s)).toBe(false);
    expect(['waiting', 'claimed', 'queued'].every((s) => relaysToSlack(s as 'waiting'))).toBe(true);
    expect(relaysToSlack('bot')).toBe(false);
    expect(relaysToSlack('resolved')).toBe(false);
  });
});
