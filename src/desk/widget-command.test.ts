import { describe, expect, it } from 'vitest';
import { parseBatonCommand } from './command-parser.js';

/** `/baton widget …`: what each form parses to, and the reason a bad value is refused. */

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
