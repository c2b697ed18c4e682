import * as assert from 'node:assert/strict';
import { assertScoresClose, assertValidRanking, scoresByIndex } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** `topN` given to `doRerank` (core guarantees 1 ≤ topN ≤ documents) is respected. */
export function registerTopNTests({ test, factory, capabilities }: RerankSuiteContext): void {
  for (const topN of [1, 3]) {
    registerTest(
      test,
      `rerank stage: returns exactly topN = ${topN} documents`,
      async () => {
        const stage = await factory();
        const values = fitDocuments(stage, policyDocuments);
        const expectedLength = Math.min(topN, values.length);
        const result = await stage.doRerank({
          query: policyQuery,
          documents: { type: 'text', values },
          topN: expectedLength,
        });
        assertValidRanking(result.ranking, {
          documentCount: values.length,
          expectedLength,
          what: `doRerank with topN ${topN}`,
        });
      },
      capabilities.timeoutMs,
    );
  }

  if (capabilities.deterministic) {
    registerTest(
      test,
      'rerank stage: the topN documents are the best of the full ranking',
      async () => {
        const stage = await factory();
        const documents = { type: 'text' as const, values: fitDocuments(stage, policyDocuments) };
        const full = await stage.doRerank({ query: policyQuery, documents });
        const top = await stage.doRerank({
          query: policyQuery,
          documents,
          topN: Math.min(3, documents.values.length),
        });
        const fullScores = scoresByIndex(full.ranking);
        for (const [position, entry] of top.ranking.entries()) {
          const expected = full.ranking[position];
          assert.ok(expected !== undefined, 'the full ranking is shorter than topN');
          // Compare scores, not indices: documents with equal scores may come in either order.
          assertScoresClose(
            entry.score,
            expected.score,
            capabilities.scoreTolerance,
            `topN ranking[${position}]`,
          );
          const ownScore = fullScores.get(entry.index);
          assert.ok(ownScore !== undefined, `index ${entry.index} missing from the full ranking`);
          assertScoresClose(
            entry.score,
            ownScore,
            capabilities.scoreTolerance,
            `score of document ${entry.index}`,
          );
        }
      },
      capabilities.timeoutMs,
    );
  }
}
