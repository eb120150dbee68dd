import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layer rule, checked on the source itself so a shortcut shows up in review as a failing test.
const SRC = path.dirname(fileURLToPath(import.meta.url));
const FEATURES = ['conversation', 'handoff', 'desk', 'lib', 'storage'];
const EDGES = ['slack', 'webchat', 'ai', 'email', 'sandbox', 'app'];
/** Pure rules: value imports only from each other; no I/O, no clock, no environment. */
const PURE = [
  'conversation/lifecycle.ts',
  'conversation/lifecycle-types.ts',
  'conversation/lifecycle-steps.ts',
  'conversation/effects.ts',
  'conversation/customer-notices.ts',
  'conversation/conversation.ts',
  'conversation/assistant.ts',
  'handoff/handoff.ts',
  'handoff/triggers.ts',
  'handoff/trigger-change.ts',
  'handoff/trigger-replay.ts',
  'handoff/delivery-mark-rules.ts',
  'handoff/routing.ts',
  'handoff/wait-estimate.ts',
  'desk/business-hours.ts',
  'desk/command-parser.ts',
  'desk/widget-command.ts',
  'desk/widget-settings.ts',
  'desk/desk-settings.ts',
  'desk/metrics.ts',
  'desk/metrics-conversation.ts',
  'privacy/sensitive-data.ts',
  'privacy/mask-for-slack.ts',
  // Text rules the masking shares with the summary: what counts as an order number, an amount, ...
  'lib/facts.ts',
  'lib/clean-text.ts',
];

/**
 * Pure browser modules a rule may share as they are: the chat page loads them unbuilt from `public/`,
 * so they cannot live in a feature folder. Each must import nothing and touch no clock or environment
 * (checked below). Named as the import resolves them (`.js` read as `.ts`).
 */
const SHARED_BROWSER_PURE = ['webchat/public/colour-contrast.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'public' || name === 'assets' ? [] : sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every module a file reaches: `import … from`, `export … from`, side-effect imports and `import()`. */
function imports(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...[...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => ({
      typeOnly: Boolean(m[1]),
      spec: m[2]!,
    })),
    ...[...text.matchAll(/^import\s+['"]([^'"]+)['"]/gm)].map((m) => ({ typeOnly: false, spec: m[1]! })),
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({
      typeOnly: false,
      spec: m[1]!,
    })),
  ];
  return found.map(({ typeOnly, spec }) => ({
    typeOnly,
    target: spec.startsWith('.')
      ? path.relative(SRC, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts')
      : spec,
  }));
}

const rel = (file: string) => path.relative(SRC, file);

describe('layering', () => {
  it('features never import an edge (they reach the outside world through src/ports.ts)', () => {
    const files = [...FEATURES.flatMap((f) => sources(path.join(SRC, f))), path.join(SRC, 'ports.ts')];
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter((i) => EDGES.some((edge) => i.target.startsWith(`${edge}/`)))
        .filter((i) => !SHARED_BROWSER_PURE.includes(i.target))
        .map((i) => `${rel(file)} -> ${i.target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('pure rules import values only from other pure rules, and never read the clock or the environment', () => {
    const offenders = PURE.flatMap((file) => {
      const full = path.join(SRC, file);
      const text = readFileSync(full, 'utf8');
      const bad = imports(full)
        .filter((i) => !i.typeOnly && !PURE.includes(i.target) && !SHARED_BROWSER_PURE.includes(i.target))
        .map((i) => `${file} -> ${i.target}`);
      if (/Date\.now\(\)|new Date\(\)|process\.env/.test(text)) bad.push(`${file} reads the clock or env`);
      return bad;
    });
    expect(offenders).toEqual([]);
  });

  it('shared browser modules import nothing and never read the clock or the environment', () => {
    const offenders = SHARED_BROWSER_PURE.flatMap((target) => {
      const text = readFileSync(path.join(SRC, target.replace(/\.ts$/, '.js')), 'utf8');
      const bad: string[] = [];
      if (/^\s*(import|export\s+[^;]*from)\b|\bimport\(/m.test(text)) bad.push(`${target} imports a module`);
      if (/Date\.now\(\)|new Date\(|process\.env|document\.|window\.|fetch\(/.test(text))
        bad.push(`${target} reaches the clock, environment or page`);
      return bad;
    });
    expect(offenders).toEqual([]);
  });

  it('no `as never` and no `process.env` outside the config', () => {
    const offenders = sources(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      if (/\bas never\b/.test(text)) found.push(`${rel(file)}: as never`);
      if (/process\.env/.test(text) && rel(file) !== path.join('app', 'config.ts'))
        found.push(`${rel(file)}: process.env`);
      return found;
    });
    expect(offenders).toEqual([]);
  });

  it('only the lifecycle service calls the compare-and-set of a status', () => {
    const callers = sources(SRC).filter((file) => /\bcommitStatus\(/.test(readFileSync(file, 'utf8')));
    expect(callers.map(rel).sort()).toEqual(
      [
        path.join('conversation', 'apply-event.ts'),
        path.join('conversation', 'conversation-repository.ts'),
      ].sort(),
    );
  });

  it('only the repository compare-and-set writes a conversation status', () => {
    const writers = sources(SRC).filter((file) =>
      /updateTable\(['"]conversations['"]\)[^;]*?\bstatus:|update\s+conversations\s+set\s+[^;]*\bstatus\s*=/is.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(writers.map(rel)).toEqual([path.join('conversation', 'conversation-repository.ts')]);
  });
});
