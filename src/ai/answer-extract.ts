import type { Article } from './kb-loader.js';
import { sentences } from './text.js';
import { contentTerms } from '../lib/text-terms.js';

/**
 * Picks the passage of an article that best answers a query. The article is cut into units
 * (sentences and list items). Each query term weighs by how rare it is inside the article (a word on
 * every line says little about which line answers), a unit scores the weights of the distinct query
 * terms it contains plus a little for the terms of its section heading, and the reply is:
 * - for a numbered step: the steps of that list in order, up to `maxUnits`;
 * - otherwise: the best unit and the other units of its section that score at least half as well,
 *   1–3 units in article order (a very short result takes the next unit along).
 * With no query term anywhere, the article's opening is used.
 */

interface Unit {
  section: number;
  text: string;
  listItem: boolean;
  numbered: boolean;
  /** Starts with a short "Label:" that contains a query term. */
  labelled: boolean;
  /** Distinct query terms in the unit. */
  terms: string[];
  /** Distinct query terms in the unit's section heading. */
  headingTerms: string[];
}

export interface ExtractOptions {
  /** The customer's question: its kind ("how long", "how much", "how do I") favours units that answer that kind. */
  question?: string;
  /** At most this many units (list steps) in a reply. */
  maxUnits?: number;
  maxChars?: number;
}

/** Prose replies take at most this many sentences. */
const MAX_SENTENCES = 3;

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

  const unitsWith = new Map<string, number>();
  for (const unit of units)
    for (const term of unit.terms) unitsWith.set(term, (unitsWith.get(term) ?? 0) + 1);
  const weight = (term: string) => Math.log(1 + units.length / (unitsWith.get(term) ?? units.length));
  const kind = questionKind(options.question ?? '');
  const scoreOf = (unit: Unit) =>
    (unit.terms.length > 0 && kind && KIND_ANSWERS[kind].test(unit.text) ? KIND_BONUS : 0) +
    // A "Label: value" line whose label the customer named ("Standard: 3–5 business days") answers directly.
    (unit.labelled ? KIND_BONUS : 0) +
    unit.terms.reduce((sum, term) => sum + weight(term), 0) +
    0.3 * unit.headingTerms.reduce((sum, term) => sum + weight(term), 0) +
    (unit.terms.length > 0 ? 0.05 * unit.terms.length + (unit.numbered ? 0.1 : 0) - 0.03 * unit.section : 0);
  const scores = units.map(scoreOf);

  let best = 0;
  scores.forEach((score, index) => {
    if (score > scores[best]! + 1e-9) best = index;
  });
  if (scores[best]! <= 0) return render(fit(units.slice(0, 2), maxChars));

  const bestUnit = units[best]!;
  const sameSection = (index: number) => units[index]?.section === bestUnit.section;
  let chosen: number[];
  if (bestUnit.numbered) {
    // Steps: the numbered list the best step belongs to, from its first step, in order.
    let first = best;
    while (first > 0 && sameSection(first - 1) && units[first - 1]!.numbered) first -= 1;
    chosen = [];
    for (let i = first; i < units.length && units[i]!.numbered && sameSection(i); i += 1) chosen.push(i);
    if (!chosen.slice(0, maxUnits).includes(best)) chosen = chosen.filter((i) => i >= best - 1);
    chosen = chosen.slice(0, maxUnits);
  } else {
    const others = units
      .map((_, index) => index)
      .filter((i) => i !== best && sameSection(i) && scores[i]! >= scores[best]! * 0.5 && scores[i]! > 0)
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, MAX_SENTENCES - 1);
    chosen = [best, ...others].sort((a, b) => a - b);
    // A lone short line ("Standard: 3–5 business days.") reads better with what follows it.
    const last = chosen.at(-1)!;
    const length = chosen.reduce((sum, i) => sum + units[i]!.text.length + 1, 0);
    if (chosen.length < MAX_SENTENCES && length < 80 && sameSection(last + 1)) chosen.push(last + 1);
  }
  const picked = fit(
    chosen.map((i) => units[i]!),
    maxChars,
  );
  // Bullets out of context ("• Opened food, candles ...") need their heading ("What cannot be returned").
  const heading = article.sections[bestUnit.section]?.heading ?? '';
  const lead =
    picked[0]?.listItem && !picked[0].numbered && heading && heading !== article.title ? `${heading}:\n` : '';
  return lead + render(picked);
}

type QuestionKind = 'duration' | 'price' | 'steps';

/** What a unit that answers each kind of question looks like. */
const KIND_ANSWERS: Record<QuestionKind, RegExp> = {
  duration:
    /\b\d+(?:[–-]\d+)? (?:business |working )?(?:minutes?|hours?|days?|weeks?|months?|years?)\b|\bnext (?:business )?day\b|\bimmediately\b|\binstantly\b|\bsame day\b/i,
  price: /[$€£]\s?\d|\bfree\b|\b\d+%/i,
  steps: /^\d+\.\s/,
};
/** Worth about one more matching query word. */
const KIND_BONUS = 0.8;

function questionKind(question: string): QuestionKind | undefined {
  const q = question.toLowerCase();
  if (
    /\bhow (long|soon|quickly)\b|\bhow many (business |working )?(days|hours|weeks)\b|\bwhen (will|does|do|can|should)\b/.test(
      q,
    )
  )
    return 'duration';
  if (/\bhow much\b|\b(cost|costs|price|prices|fee|fees|charge for|rates?)\b/.test(q)) return 'price';
  if (/\bhow (do|can|should|would) (i|we|you)\b|\bhow to\b|\bwhere (do|can) i\b/.test(q)) return 'steps';
  return undefined;
}

/** Keeps units while they fit in `maxChars` (always at least the first). */
function fit(units: Unit[], maxChars: number): Unit[] {
  const out: Unit[] = [];
  let chars = 0;
  for (const unit of units) {
    chars += unit.text.length + 1;
    if (out.length > 0 && chars > maxChars) break;
    out.push(unit);
  }
  return out;
}

function toUnits(article: Article, wanted: Set<string>): Unit[] {
  const units: Unit[] = [];
  article.sections.forEach((section, index) => {
    const headingTerms = [...new Set(contentTerms(section.heading).filter((term) => wanted.has(term)))];
    for (const line of section.text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const listItem = /^(\d+\.|[-*+])\s+/.test(trimmed);
      const numbered = /^\d+\.\s+/.test(trimmed);
      const pieces = listItem ? [trimmed.replace(/^[-*+]\s+/, '')] : sentences(trimmed);
      for (const text of pieces) {
        const terms = [...new Set(contentTerms(text).filter((term) => wanted.has(term)))];
        const label = /^([^:.]{1,40}):\s/.exec(text.replace(/^\d+\.\s+/, ''))?.[1] ?? '';
        const labelled = label !== '' && contentTerms(label).some((term) => wanted.has(term));
        units.push({ section: index, text, listItem, numbered, labelled, terms, headingTerms });
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
