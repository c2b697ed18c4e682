import { assertRanksAll } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** Without topN, every document comes back exactly once, scores finite and sorted. */
export function registerRankingShapeTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  registerTest(
    test,
    'rerank stage: ranks every document exactly once, indices in range, finite scores sorted descending',
    async () => {
      const stage = await factory();
      const values = fitDocuments(stage, policyDocuments);
      const result = await stage.doRerank({
        query: policyQuery,
        documents: { type: 'text', values },
      });
      assertRanksAll(result.ranking, values.length, 'doRerank without topN');
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'rerank stage: ranks a single document',
    async () => {
      const stage = await factory();
      const result = await stage.doRerank({
        query: policyQuery,
        documents: { type: 'text', values: [policyDocuments[0] ?? ''] },
      });
      assertRanksAll(result.ranking, 1, 'doRerank with one document');
    },
    capabilities.timeoutMs,
  );
}
