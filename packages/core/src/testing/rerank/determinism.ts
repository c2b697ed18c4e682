import * as assert from 'node:assert/strict';
import { assertScoresClose, scoresByIndex } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { vietnameseNfc } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** The same call twice gives the same scores, so the same ranking. */
export function registerDeterminismTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  if (!capabilities.deterministic) return;
  registerTest(
    test,
    'rerank stage: the same call twice gives the same ranking and scores',
    async () => {
      const stage = await factory();
      const options = {
        query: policyQuery,
        documents: {
          type: 'text' as const,
          values: fitDocuments(stage, [vietnameseNfc, ...policyDocuments]),
        },
      };
      const first = await stage.doRerank(options);
      const second = await stage.doRerank(options);
      const firstScores = scoresByIndex(first.ranking);
      const secondScores = scoresByIndex(second.ranking);
      assert.deepEqual(
        [...secondScores.keys()].sort(byNumber),
        [...firstScores.keys()].sort(byNumber),
        'ranked indices differ',
      );
      for (const [index, score] of firstScores) {
        assertScoresClose(
          secondScores.get(index) ?? Number.NaN,
          score,
          capabilities.scoreTolerance,
          `document ${index}`,
        );
      }
      // Where scores differ, the order must be the same; only ties may swap.
      for (const [position, entry] of first.ranking.entries()) {
        const again = second.ranking[position];
        assert.ok(again !== undefined);
        if (again.index !== entry.index) {
          assertScoresClose(
            again.score,
            entry.score,
            capabilities.scoreTolerance,
            `tie at position ${position}`,
          );
        }
      }
    },
    capabilities.timeoutMs,
  );
}

function byNumber(left: number, right: number): number {
  return left - right;
}
