import * as assert from 'node:assert/strict';
import { assertScoresClose } from '../helpers/assert-ranking.js';
import { registerTest } from '../test-function.js';
import { copyCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** The same call twice gives the same candidates and scores. */
export function registerRetrieveDeterminismTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  if (!capabilities.deterministic) return;
  registerTest(
    test,
    'retrieve stage: the same call twice gives the same candidates and scores',
    async () => {
      const stage = await factory(copyCorpus());
      const options = { query: 'annual fee for the credit card in the first year', topK: 5 };
      const first = await stage.doRetrieve(options);
      const second = await stage.doRetrieve(options);
      const secondScores = new Map(
        second.candidates.map((candidate) => [candidate.id, candidate.score]),
      );
      assert.deepEqual(
        [...secondScores.keys()].sort(),
        first.candidates.map((candidate) => candidate.id).sort(),
        'candidate ids differ',
      );
      for (const candidate of first.candidates) {
        assertScoresClose(
          secondScores.get(candidate.id) ?? Number.NaN,
          candidate.score,
          capabilities.scoreTolerance,
          `score of '${candidate.id}'`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}
