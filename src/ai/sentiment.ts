import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import { z } from 'zod';

/**
 * Lexicon sentiment for short support chat, built on the AFINN-165 + emoji lexicon of `sentiment`.
 * On top of the library: support-specific word scores, negation up to three words back ("not very
 * happy"), intensifiers ("so slow"), emoticons, shouting in CAPS and "!!!".
 */

export interface SentimentAnalyzer {
  /** -1..1 for one message. Never throws. */
  score(text: string): number;
}

// Words whose AFINN score is wrong for customer support, or that AFINN lacks.
const SUPPORT_LEXICON: Record<string, number> = {
  useless: -3,
  ridiculous: -3,
  unacceptable: -3,
  scam: -4,
  joke: -2,
  pointless: -3,
  waste: -2,
  worst: -4,
  rubbish: -3,
  garbage: -3,
  broken: -2,
  // Words that describe the problem rather than the customer's mood ("lost my phone", "wrong size",
  // "damaged in transit"): mildly negative, so a factual report is not mistaken for frustration.
  missing: -1,
  wrong: -1,
  lost: -1,
  error: -1,
  mistake: -1,
  damaged: -1,
  damage: -1,
  problem: -1,
  trouble: -1,
  stuck: -1,
  fail: -1,
  failed: -1,
  forgot: 0,
  late: -1,
  delayed: -1,
  hacked: -2,
  stolen: -2,
  frustrating: -3,
  frustrated: -3,
  annoying: -2,
  annoyed: -2,
  disappointed: -3,
  disappointing: -3,
  helpful: 2,
  solved: 2,
  sorted: 2,
  works: 1,
  worked: 2,
  perfect: 3,
  brilliant: 3,
  // Neutral in support talk although AFINN scores them.
  help: 0,
  cancel: 0,
  like: 1,
  care: 0,
  free: 0,
  please: 0,
  pay: 0,
  charged: 0,
  want: 0,
  slow: -2,
  emopos: 2,
  emoneg: -2,
  '😡': -3,
  '🤬': -4,
  '😠': -3,
  '😤': -2,
  '😢': -2,
  '😭': -2,
  '🙄': -2,
  '👎': -2,
  '👍': 2,
  '🙏': 1,
  '😊': 2,
  '🙂': 1,
};

const LANGUAGE = 'baton-en';

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'hardly',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "didn't",
  'didnt',
  "isn't",
  'isnt',
  "wasn't",
  'wasnt',
  "aren't",
  "can't",
  'cant',
  "won't",
  'wont',
  "couldn't",
  "wouldn't",
  "haven't",
  "hasn't",
  'without',
]);

const INTENSIFIERS: Record<string, number> = {
  very: 1.5,
  so: 1.5,
  really: 1.5,
  extremely: 2,
  super: 1.5,
  totally: 1.5,
  absolutely: 1.8,
  completely: 1.8,
  incredibly: 1.8,
  utterly: 2,
  too: 1.3,
  bit: 0.6,
  slightly: 0.6,
  somewhat: 0.7,
};

/** Builds an analyzer; the lexicon is registered here, not at import time. */
export function createSentimentAnalyzer(): SentimentAnalyzer {
  // A private copy of AFINN-165 plus our words: `analyze(text, { extras })` would mutate the
  // library's shared English labels, so we register our own language instead.
  // Checked once per analyzer: a changed file in a new `sentiment` release fails here, loudly, at startup.
  const afinn = z
    .record(z.string(), z.number())
    .parse(createRequire(import.meta.url)('sentiment/languages/en/labels.json'));
  const labels: Record<string, number> = { ...afinn };
  const engine = new Sentiment();
  engine.registerLanguage(LANGUAGE, {
    labels,
    scoringStrategy: {
      apply(tokens, cursor, tokenScore) {
        let score = tokenScore;
        for (let back = 1; back <= 3 && cursor - back >= 0; back += 1) {
          const previous = tokens[cursor - back] ?? '';
          if (back === 1 && INTENSIFIERS[previous]) score *= INTENSIFIERS[previous];
          if (back === 2 && INTENSIFIERS[previous] && NEGATORS.has(tokens[cursor - 3] ?? '')) continue;
          if (NEGATORS.has(previous)) {
            // "not good" flips; "not bad" is only mildly positive.
            score = score > 0 ? -score : -score * 0.5;
            break;
          }
        }
        return score;
      },
    },
  });
  // Registration merges the library's emoji scores into `labels`; ours take precedence.
  Object.assign(labels, SUPPORT_LEXICON);

  return {
    score(text) {
      if (typeof text !== 'string' || text.trim() === '') return 0;
      const input = text.slice(0, 4_000);
      const prepared = input
        // "no thanks" politely declines; neither word is negative here.
        .replace(/\bno,? thanks?\b|\bno thank you\b/gi, ' ')
        .replace(/[:;=]-?[)D\]]|\(-?[:;=]|<3/g, ' emopos ')
        .replace(/[:;=]'?-?[(/[]|D-?:/g, ' emoneg ')
        .replace(/[\u2018\u2019]/g, "'");
      let raw: number;
      try {
        raw = engine.analyze(prepared, { language: LANGUAGE }).score;
      } catch {
        return 0;
      }
      const letters = input.replace(/[^A-Za-z]/g, '');
      const shouting = letters.length >= 8 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7;
      const bangs = /!{2,}|\?!|!\?/.test(input);
      if (shouting) raw = raw <= 0 ? raw * 1.5 - 2 : raw * 1.2;
      if (bangs) raw = raw <= 0 ? raw * 1.2 - 1 : raw * 1.2;
      return Math.round(Math.tanh(raw / 5) * 1000) / 1000;
    },
  };
}

/**
 * Sentiment of a conversation from per-message scores (oldest first), weighted to the latest: the
 * newest message weighs 1, the one before 0.6, then 0.36, ... over the last 6 messages.
 */
export function weightedSentiment(scores: readonly number[], decay = 0.6): number {
  const recent = scores.slice(-6);
  let total = 0;
  let weights = 0;
  recent.forEach((score, index) => {
    const weight = decay ** (recent.length - 1 - index);
    total += (Number.isFinite(score) ? score : 0) * weight;
    weights += weight;
  });
  return weights === 0 ? 0 : Math.round((total / weights) * 1000) / 1000;
}

/** Sentiment of the customer's messages (oldest first), weighted to the latest. */
export function conversationSentiment(messages: readonly string[], analyzer: SentimentAnalyzer): number {
  return weightedSentiment(messages.map((message) => analyzer.score(message)));
}
