import * as assert from 'node:assert/strict';
import { rerank } from '../../rerank/rerank.js';
import { assertRanksAll } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery, relevantPolicyIndex } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** JSON object documents are accepted, and their text still drives relevance. */
export function registerObjectDocumentTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  if (!capabilities.objectDocuments) return;
  const values = policyDocuments.map((text, index) => ({
    title: `Policy ${index + 1}`,
    text,
    year: 2020 + index,
    tags: ['bank', 'policy'],
  }));

  registerTest(
    test,
    'rerank stage: ranks object documents, each exactly once',
    async () => {
      const stage = await factory();
      const fitted = fitDocuments(stage, values);
      const result = await stage.doRerank({
        query: policyQuery,
        documents: { type: 'object', values: fitted },
      });
      assertRanksAll(result.ranking, fitted.length, 'doRerank with object documents');
      if (capabilities.lexicalRelevance) {
        assert.equal(
          result.ranking[0]?.index,
          relevantPolicyIndex,
          'the object whose text answers the query ranks first',
        );
      }
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    "rerank(): documentFormat 'object' sends { ...metadata, text } and re-attaches the caller's objects",
    async () => {
      const documents = policyDocuments.map((text, index) => ({
        id: `policy-${index}`,
        text,
        metadata: { title: `Policy ${index + 1}`, year: 2020 + index },
      }));
      const result = await rerank({
        model: await factory(),
        query: policyQuery,
        documents,
        documentFormat: 'object',
      });
      assertRanksAll(result.ranking, documents.length, "rerank() with documentFormat 'object'");
      for (const entry of result.ranking) assert.equal(entry.document, documents[entry.index]);
    },
    capabilities.timeoutMs,
  );
}
