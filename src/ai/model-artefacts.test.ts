import { describe, expect, it } from 'vitest';
import { learnShippedExpansions } from '../../scripts/learn-expansions.js';
import { trainShippedReranker } from '../../scripts/train-reranker.js';
import { loadReranker } from './kb-scoring.js';
import { loadTermExpansions } from './term-expansions.js';

// The learned retrieval artefacts must be what their scripts produce from the tuning data and the code as
// they are now: a change to either without re-running the script fails here.
describe('shipped retrieval artefacts', () => {
  it('expansions match npm run learn:expansions', async () => {
    expect(loadTermExpansions()).toEqual(await learnShippedExpansions());
  });

  it('the re-ranker matches npm run train:reranker', async () => {
    const shipped = loadReranker();
    const trained = await trainShippedReranker();
    expect(shipped?.weights).toEqual(trained.weights);
    expect(shipped?.bias).toBe(trained.bias);
  }, 60_000);
});
