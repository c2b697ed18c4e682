import * as assert from 'node:assert/strict';
import type { RetrieveStageV1 } from '../../spec/v1/index.js';
import { assertValidCandidates, sortedIds } from '../helpers/assert-candidates.js';
import { assertScoresClose } from '../helpers/assert-ranking.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** A query whose best document comes last in {@link retrieveCorpus}, and that many others match. */
const lastDocumentQuery = 'Savings accounts earn interest monthly on the last business day';

/**
 * `topK` is a count, not only a bound: when more documents match, exactly `topK` come back, and
 * they are the best ones (a retriever must rank before it cuts, not cut in storage order).
 */
export function registerTopKTests({ test, factory, capabilities }: RetrieveSuiteContext): void {
  registerTest(
    test,
    'retrieve stage: returns exactly topK candidates when more documents match, every document when topK exceeds the corpus',
    async () => {
      const stage = await factory(copyCorpus());
      for (const topK of [1, 3]) {
        const effectiveTopK = fitTopK(stage, topK);
        const result = await stage.doRetrieve({
          query: matchEveryDocumentQuery,
          topK: effectiveTopK,
        });
        assertValidCandidates(result.candidates, {
          corpus: retrieveCorpus,
          topK: effectiveTopK,
          what: `doRetrieve with topK ${effectiveTopK}`,
        });
        assert.equal(
          result.candidates.length,
          effectiveTopK,
          `topK ${effectiveTopK} with a query matching all ${retrieveCorpus.length} documents`,
        );
      }
      const everything = fitTopK(stage, retrieveCorpus.length + 5);
      if (everything < retrieveCorpus.length) return;
      const result = await stage.doRetrieve({ query: matchEveryDocumentQuery, topK: everything });
      assert.deepEqual(
        sortedIds(result.candidates),
        sortedIds(retrieveCorpus),
        `topK ${everything} with a query matching every document must return the whole corpus`,
      );
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.deterministic) return;
  registerTest(
    test,
    'retrieve stage: the topK candidates are the best of a call with a larger topK',
    async () => {
      const stage = await factory(copyCorpus());
      const full = await stage.doRetrieve({
        query: lastDocumentQuery,
        topK: fitTopK(stage, retrieveCorpus.length),
      });
      const fullScores = new Map(
        full.candidates.map((candidate) => [candidate.id, candidate.score]),
      );
      for (const topK of [1, 3]) {
        const top = await stage.doRetrieve({
          query: lastDocumentQuery,
          topK: fitTopK(stage, topK),
        });
        for (const [position, candidate] of top.candidates.entries()) {
          const expected = full.candidates[position];
          assert.ok(expected !== undefined, `topK ${topK} returned more than the larger call`);
          // Compare scores, not ids: candidates with equal scores may come in either order.
          assertScoresClose(
            candidate.score,
            expected.score,
            capabilities.scoreTolerance,
            `topK ${topK}, candidate ${position} ('${candidate.id}') against the larger call's`,
          );
          assertScoresClose(
            candidate.score,
            fullScores.get(candidate.id) ?? Number.NaN,
            capabilities.scoreTolerance,
            `score of '${candidate.id}' with topK ${topK} and in the larger call`,
          );
        }
      }
    },
    capabilities.timeoutMs,
  );
}

/** `topK`, lowered to the stage's `maxTopK` when it declares a smaller one. */
function fitTopK(stage: RetrieveStageV1, topK: number): number {
  return Math.min(topK, stage.maxTopK ?? topK);
}
