import { describe, expect, it } from 'vitest';
import { parseBatonCommand } from './command-parser.js';

const ok = (text: string) => {
  const r = parseBatonCommand(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.command;
};
const bad = (text: string) => {
  const r = parseBatonCommand(text);
  if (r.ok) throw new Error(`expected ${text} to fail`);
  return r;
};

describe('parseBatonCommand', () => {
  it('parses every subcommand', () => {
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('presence')).toEqual({ kind: 'presence' });
    expect(ok('presence Away')).toEqual({ kind: 'presence', presence: 'away' });
    expect(ok('triggers')).toEqual({ kind: 'triggers' });
    expect(ok('trigger sentiment off')).toEqual({ kind: 'trigger_toggle', trigger: 'sentiment', on: false });
    expect(ok('trigger confidence 0.4')).toEqual({ kind: 'trigger_confidence', value: 0.4 });
    expect(ok('trigger sentiment -0.6')).toEqual({ kind: 'trigger_sentiment', value: -0.6 });
    expect(ok('trigger turns 8')).toEqual({ kind: 'trigger_turns', value: 8 });
    expect(ok('trigger keywords add Warranty claim')).toEqual({
      kind: 'trigger_keywords',
      op: 'add',
      words: ['warranty', 'claim'],
    });
    expect(ok('routing skill')).toEqual({ kind: 'routing', method: 'skill' });
    expect(ok('skills <@U0DANA|dana> billing Shipping')).toEqual({
      kind: 'skills',
      user: '<@U0DANA|dana>',
      skills: ['billing', 'shipping'],
    });
    expect(ok('capacity @sam 3')).toEqual({ kind: 'capacity', user: '@sam', capacity: 3 });
    expect(ok('route url:/enterprise <#C0SALES|enterprise-sales>')).toEqual({
      kind: 'route',
      route: { condition: { kind: 'url', contains: '/enterprise' }, channel: '<#C0SALES|enterprise-sales>' },
    });
    expect(ok('route topic:Billing #billing')).toMatchObject({
      route: { condition: { kind: 'topic', topic: 'billing' } },
    });
    expect(ok('hours mon-fri 09:00-17:30 Europe/Berlin')).toEqual({
      kind: 'hours',
      hours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30', timeZone: 'Europe/Berlin' },
    });
    expect(ok('hours')).toEqual({ kind: 'hours' });
    expect(ok('hours off')).toEqual({ kind: 'hours', hours: 'off' });
    expect(ok('message offline We are closed, leave your email please.')).toEqual({
      kind: 'message',
      which: 'offline',
      text: 'We are closed, leave your email please.',
    });
    expect(ok('stats 30d')).toEqual({ kind: 'stats', days: 30 });
    expect(ok('stats')).toEqual({ kind: 'stats', days: 7 });
    expect(ok('status')).toEqual({ kind: 'status' });
    expect(ok('transfer <#G0PRIVATE|vip>')).toMatchObject({ target: { channel: '<#G0PRIVATE|vip>' } });
    expect(ok('resolve')).toEqual({ kind: 'resolve' });
    expect(ok('transfer @sam')).toEqual({ kind: 'transfer', target: { user: '@sam' } });
    expect(ok('transfer <#C0BILLING|billing> c_AAAAAAAAAAAAAAAAAAAAAA')).toEqual({
      kind: 'transfer',
      target: { channel: '<#C0BILLING|billing>' },
      conversationId: 'c_AAAAAAAAAAAAAAAAAAAAAA',
    });
  });

  it('answers malformed commands with the reason and the usage line', () => {
    expect(bad('presence sleepy')).toMatchObject({ usage: expect.stringContaining('/baton presence') });
    expect(bad('trigger confidence 1.5').error).toMatch(/0 to 1/);
    expect(bad('trigger sentiment 0.5').error).toMatch(/-1 to 0/);
    expect(bad('trigger turns 2.5').error).toMatch(/whole number/);
    expect(bad('trigger nonsense on').error).toMatch(/not a trigger/);
    expect(bad('routing random').usage).toContain('round-robin');
    expect(bad('capacity @sam lots').error).toMatch(/whole number/);
    expect(bad('skills sam billing').error).toMatch(/agent/);
    expect(bad('route url:/x general').error).toMatch(/#channel/);
    expect(bad('hours mon-fri 9-5 Europe/Berlin').error).toMatch(/09:00-17:30/);
    expect(bad('hours mon-fri 09:00-17:00 Mars/Olympus').error).toMatch(/time zone/);
    expect(bad('hours mon-fri 17:00-09:00 UTC').error).toMatch(/after the opening/);
    expect(bad('message join hi').error).toMatch(/5 to 500/);
    expect(bad('stats 1y').error).toMatch(/7d or 30d/);
    expect(bad('status now').usage).toBe('/baton status');
    expect(bad('resolve 42').error).toMatch(/conversation id/);
    expect(bad('transfer sam').error).toMatch(/@name|#name/);
    expect(bad('dance').error).toMatch(/Unknown subcommand/);
  });
});
