import * as assert from 'node:assert/strict';
import { assertRanksAll, assertScoresClose, scoresByIndex } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery, relevantPolicyIndex } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** Identical documents are each ranked, and (when deterministic) get identical scores. */
export function registerDuplicateTests({ test, factory, capabilities }: RerankSuiteContext): void {
  const relevant = policyDocuments[relevantPolicyIndex] ?? '';
  const other = policyDocuments[0] ?? '';
  const allValues = [relevant, other, relevant, policyDocuments[3] ?? '', relevant, other];

  registerTest(
    test,
    'rerank stage: ranks duplicated documents, each copy once',
    async () => {
      const stage = await factory();
      const values = fitDocuments(stage, allValues);
      const result = await stage.doRerank({
        query: policyQuery,
        documents: { type: 'text', values },
      });
      assertRanksAll(result.ranking, values.length, 'doRerank with duplicates');
      if (!capabilities.deterministic) return;
      const scores = scoresByIndex(result.ranking);
      for (const text of new Set(values)) {
        const copies = [...values.keys()].filter((index) => values[index] === text);
        const first = scores.get(copies[0] ?? 0);
        assert.ok(first !== undefined);
        for (const index of copies) {
          assertScoresClose(
            scores.get(index) ?? Number.NaN,
            first,
            capabilities.scoreTolerance,
            `copy at index ${index}`,
          );
        }
      }
    },
    capabilities.timeoutMs,
  );
}
