import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { contrastRatio } from '../../src/webchat/public/colour-contrast.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: unknown; failureSummary: string }[] }[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules, the default set) on `target` and returns its serious and
 * critical violations with the elements and axe's own summary, so a failing test says what and where.
 * `iframes: false` scans only the page itself (the widget's frame is scanned on its own).
 */
export async function seriousViolations(target: Page | Frame, options: object = {}) {
  await target.evaluate(AXE);
  const result = (await target.evaluate(
    (o) =>
      (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe.run(document, o),
    options,
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => [n.target, n.failureSummary]) }));
}

/** The WCAG 2.x contrast of two opaque `rgb(…)` colours, as getComputedStyle gives them. */
export function computedContrast(fg: string, bg: string): number {
  const hex = (rgb: string) =>
    `#${(rgb.match(/\d+/g) ?? [])
      .slice(0, 3)
      .map((c) => Number(c).toString(16).padStart(2, '0'))
      .join('')}`;
  return contrastRatio(hex(fg), hex(bg));
}
