import type { Article } from './kb-loader.js';
import { contentTerms, sentences } from './text.js';

/**
 * Picks the passage of an article that best answers a query: the article is cut into units
 * (sentences and list items); a passage of consecutive units scores the distinct query terms it
 * contains (repeats count a quarter), plus the query terms of its section heading, and the best run of up to `maxUnits` consecutive units of one
 * section within `maxChars` wins.
 */

interface Unit {
  section: number;
  text: string;
  listItem: boolean;
  /** Distinct query terms in the unit. */
  terms: string[];
  /** Query terms in the unit's section heading; counted once per passage. */
  headingHits: number;
}

export interface ExtractOptions {
  maxUnits?: number;
  maxChars?: number;
}

export function extractAnswer(
  article: Article,
  queryTerms: readonly string[],
  options: ExtractOptions = {},
): string {
  const maxUnits = options.maxUnits ?? 4;
  const maxChars = options.maxChars ?? 480;
  const wanted = new Set(queryTerms);
  const units = toUnits(article, wanted);
  if (units.length === 0) return '';

  let best = { start: 0, end: 1, score: -1 };
  for (let start = 0; start < units.length; start += 1) {
    const covered = new Set<string>();
    let hits = 0;
    let chars = 0;
    for (let end = start; end < units.length && end - start < maxUnits; end += 1) {
      const unit = units[end]!;
      if (unit.section !== units[start]!.section) break;
      chars += unit.text.length + 1;
      if (chars > maxChars && end > start) break;
      // Distinct query terms count most, repeated ones a little; starting a section earns a small bonus.
      for (const term of unit.terms) covered.add(term);
      hits += unit.terms.length;
      const score = covered.size + hits * 0.25;
      const startBonus = start === 0 || units[start - 1]!.section !== unit.section ? 0.3 : 0;
      const total = score + unit.headingHits * 0.75 + startBonus - (end - start) * 0.05 - unit.section * 0.02;
      if (total > best.score) best = { start, end: end + 1, score: total };
    }
  }
  // A very short passage (say, a one-line intro) is followed by what comes next, even across sections.
  let end = best.end;
  const length = (to: number) =>
    units.slice(best.start, to).reduce((sum, unit) => sum + unit.text.length + 1, 0);
  while (
    end < units.length &&
    end - best.start < maxUnits &&
    length(end) < 200 &&
    length(end + 1) <= maxChars
  )
    end += 1;
  return render(units.slice(best.start, end));
}

function toUnits(article: Article, wanted: Set<string>): Unit[] {
  const units: Unit[] = [];
  article.sections.forEach((section, index) => {
    const headingHits = contentTerms(section.heading).filter((term) => wanted.has(term)).length;
    for (const line of section.text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const listItem = /^(\d+\.|[-*+])\s+/.test(trimmed);
      const pieces = listItem ? [trimmed.replace(/^[-*+]\s+/, '')] : sentences(trimmed);
      for (const text of pieces) {
        const terms = [...new Set(contentTerms(text).filter((term) => wanted.has(term)))];
        units.push({ section: index, text, listItem, terms, headingHits });
      }
    }
  });
  return units;
}

function render(units: Unit[]): string {
  let out = '';
  units.forEach((unit, index) => {
    const previous = units[index - 1];
    if (index > 0) out += unit.listItem || previous?.listItem ? '\n' : ' ';
    out += unit.listItem && !/^\d+\./.test(unit.text) ? `• ${unit.text}` : unit.text;
  });
  return out.trim();
}
