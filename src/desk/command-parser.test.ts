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

/** `/baton widget …`: what each form parses to, and the reason a bad value is refused. */
describe('/baton widget', () => {
  it('shows the current values when given nothing', () => {
    expect(ok('widget')).toEqual({ kind: 'widget' });
    expect(ok('  Widget  ')).toEqual({ kind: 'widget' });
  });

  it('sets each field, keeping the spaces inside a title and the whole greeting', () => {
    const set = (text: string) => (ok(text) as { change?: unknown }).change;
    expect(set('widget color #0A7D55')).toEqual({ op: 'set', field: 'color', value: '#0a7d55' });
    expect(set('widget colour #0a7d55')).toEqual({ op: 'set', field: 'color', value: '#0a7d55' });
    expect(set('widget title Northwind   help')).toEqual({
      op: 'set',
      field: 'title',
      value: 'Northwind help',
    });
    expect(set('widget greeting Hi! Ask me anything about orders.')).toEqual({
      op: 'set',
      field: 'greeting',
      value: 'Hi! Ask me anything about orders.',
    });
    expect(set('widget label Help')).toEqual({ op: 'set', field: 'launcherLabel', value: 'Help' });
    expect(set('widget position LEFT')).toEqual({ op: 'set', field: 'position', value: 'left' });
    expect(set('widget reset color')).toEqual({ op: 'reset', field: 'color' });
    expect(set('widget reset label')).toEqual({ op: 'reset', field: 'launcherLabel' });
  });

  it('turns Slack’s escaped &, < and > back into the characters typed', () => {
    expect(ok('widget title Q&amp;A &lt;desk&gt;')).toMatchObject({ change: { value: 'Q&A <desk>' } });
  });

  it('refuses a colour that is not exactly #rrggbb: it goes into CSS', () => {
    for (const colour of ['red', '#0a7d5', '#0a7d55ff', '0a7d55', '#0a7d5g', 'rgb(1,2,3)', '#0a7d55;x:y']) {
      expect(bad(`widget color ${colour}`).error).toBe('color must be a hex colour like #1f5fbf.');
    }
  });

  it('refuses a colour white text is unreadable on (under 4.5:1), with the ratio and a darker shade', () => {
    expect(bad('widget color #FFEB3B').error).toBe(
      'White text on #ffeb3b has a contrast of 1.22:1; the widget needs at least 4.5:1 (WCAG AA) for its ' +
        'launcher, title bar and send button. Try #80761e, a darker shade that passes.',
    );
    // Just under and just over the line: 4.48:1 is refused, 4.54:1 passes.
    expect(bad('widget color #777777').error).toMatch(/contrast of 4\.48:1.*Try #757575/);
    expect(ok('widget color #767676')).toMatchObject({ change: { value: '#767676' } });
    expect(ok('widget color #80761e')).toMatchObject({ change: { value: '#80761e' } }); // the suggestion
  });

  it('answers every other bad value with its rule and the usage line', () => {
    expect(bad(`widget title ${'x'.repeat(61)}`).error).toBe('title must be 1 to 60 characters.');
    expect(ok(`widget title ${'x'.repeat(60)}`)).toMatchObject({ change: { field: 'title' } });
    expect(bad(`widget greeting ${'x'.repeat(301)}`).error).toMatch(/greeting must be 1 to 300/);
    expect(bad(`widget label ${'x'.repeat(31)}`).error).toMatch(/label must be 1 to 30/);
    expect(bad('widget position middle').error).toBe('position must be left or right.');
    expect(bad('widget title').error).toMatch(/Give a value/);
    expect(bad('widget font Comic Sans').error).toMatch(/not a widget field/);
    expect(bad('widget reset').error).toMatch(/which field to reset/);
    expect(bad('widget reset everything').error).toMatch(/which field to reset/);
    expect(bad('widget color red').usage).toContain('/baton widget');
  });
});
