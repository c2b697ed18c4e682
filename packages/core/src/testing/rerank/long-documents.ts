import { assertRanksAll } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { longDocument } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** A document far beyond any model's context (truncation is the stage's business) is ranked. */
export function registerLongDocumentTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  registerTest(
    test,
    `rerank stage: ranks a ${capabilities.longDocumentLength}-character document among short ones`,
    async () => {
      const stage = await factory();
      const values = fitDocuments(stage, [
        longDocument(capabilities.longDocumentLength),
        policyDocuments[0] ?? '',
        policyDocuments[2] ?? '',
      ]);
      const result = await stage.doRerank({
        query: policyQuery,
        documents: { type: 'text', values },
      });
      assertRanksAll(result.ranking, values.length, 'doRerank with a long document');
    },
    capabilities.timeoutMs,
  );
}
