import * as assert from 'node:assert/strict';
import { rerank } from '../../rerank/rerank.js';
import { assertRanksAll, assertValidRanking } from '../helpers/assert-ranking.js';
import { observeRerankStage } from '../helpers/observe-rerank-stage.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/**
 * The stage works behind core's `rerank()`: topN clamped, empty input answered without a model
 * call, documents re-attached, and inputs larger than `maxDocumentsPerCall` windowed.
 */
export function registerCoreRerankTests({ test, factory, capabilities }: RerankSuiteContext): void {
  registerTest(
    test,
    'rerank(): a topN above the number of documents is clamped and every document comes back once',
    async () => {
      const documents = policyDocuments.slice(0, 5);
      const result = await rerank({
        model: await factory(),
        query: policyQuery,
        documents,
        topN: 50,
      });
      assertRanksAll(result.ranking, documents.length, 'rerank() with topN 50 over 5 documents');
      for (const entry of result.ranking) {
        assert.equal(
          entry.document,
          documents[entry.index],
          `document ${entry.index} re-attached by index`,
        );
      }
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'rerank(): empty documents give an empty ranking without calling the model',
    async () => {
      const observed = observeRerankStage(await factory());
      const result = await rerank({ model: observed.stage, query: policyQuery, documents: [] });
      assert.deepEqual(result.ranking, []);
      assert.deepEqual(observed.calls, [], 'the model must not be called');
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'rerank(): windows inputs above maxDocumentsPerCall, nothing dropped or duplicated',
    async () => {
      const observed = observeRerankStage(await factory());
      const limit = observed.stage.maxDocumentsPerCall;
      // Enough documents for at least two windows when the stage has a limit the suite can reach.
      const count = Math.min(
        capabilities.maxTestedDocuments,
        limit === undefined ? policyDocuments.length * 3 : limit * 2 + 1,
      );
      const documents = Array.from(
        { length: count },
        (_, index) => `${policyDocuments[index % policyDocuments.length]} (copy ${index})`,
      );
      const result = await rerank({
        model: observed.stage,
        query: policyQuery,
        documents,
        topN: count,
      });
      assertRanksAll(result.ranking, count, `rerank() over ${count} documents`);
      for (const call of observed.calls) {
        assert.ok(
          limit === undefined || call.documentCount <= limit,
          `a call got ${call.documentCount} documents, above maxDocumentsPerCall ${limit}`,
        );
      }
      const topThree = await rerank({
        model: observed.stage,
        query: policyQuery,
        documents,
        topN: 3,
      });
      assertValidRanking(
        topThree.ranking.map(({ index, score }) => ({ index, score })),
        {
          documentCount: count,
          expectedLength: 3,
          what: `rerank() topN 3 over ${count} documents`,
        },
      );
    },
    capabilities.timeoutMs,
  );
}
