import { assertScoresClose, scoresByIndex } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery, relevantPolicyIndex } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/**
 * A document's score depends on the query and the document only: not on its position in the
 * call, nor on the other documents sent with it. Core relies on this twice: it merges windows by
 * score (scores of different calls must be comparable), and it maps each index back to a
 * document (an index must name the document the score belongs to). The checks catch an index
 * that names a position in the sorted ranking instead of the input, scores normalised across the
 * call (a softmax over the documents instead of a sigmoid per pair), and padding that leaks into
 * a batched forward pass.
 */
export function registerCallIndependenceTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  if (!capabilities.deterministic) return;
  registerTest(
    test,
    "rerank stage: a document's score depends neither on its position nor on the other documents in the call",
    async () => {
      const stage = await factory();
      const values = fitDocuments(stage, policyDocuments);
      const full = scoresByIndex(
        (await stage.doRerank({ query: policyQuery, documents: { type: 'text', values } })).ranking,
      );
      const last = values.length - 1;
      const reversed = scoresByIndex(
        (
          await stage.doRerank({
            query: policyQuery,
            documents: { type: 'text', values: [...values].reverse() },
          })
        ).ranking,
      );
      for (let index = 0; index <= last; index += 1) {
        assertScoresClose(
          reversed.get(last - index) ?? Number.NaN,
          full.get(index) ?? Number.NaN,
          capabilities.scoreTolerance,
          `score of document ${index} sent in reverse order (at index ${last - index})`,
        );
      }
      // Alone, each document is scored without any other to pad to or normalise against.
      for (const index of new Set([relevantPolicyIndex, 0, last])) {
        const value = values[index];
        if (value === undefined) continue;
        const alone = await stage.doRerank({
          query: policyQuery,
          documents: { type: 'text', values: [value] },
        });
        assertScoresClose(
          alone.ranking[0]?.score ?? Number.NaN,
          full.get(index) ?? Number.NaN,
          capabilities.scoreTolerance,
          `score of document ${index} sent alone`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}
