import * as assert from 'node:assert/strict';
import type { ScoreKindV1 } from '../../spec/v1/index.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { cjkText, emojiText, longDocument, vietnameseNfc } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

const ranges: Record<ScoreKindV1, readonly [number, number]> = {
  probability: [0, 1],
  similarity: [-1, 1],
  logit: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
};

/** Every score lies in the range the declared `scoreKind` promises. */
export function registerScoreRangeTests({ test, factory, capabilities }: RerankSuiteContext): void {
  if (!capabilities.scoreRange) return;
  registerTest(
    test,
    'rerank stage: scores lie in the range of the declared scoreKind',
    async () => {
      const stage = await factory();
      const [low, high] = ranges[stage.scoreKind];
      const calls = [
        { query: policyQuery, values: [...policyDocuments] },
        {
          query: 'thẻ tín dụng 💳',
          values: [vietnameseNfc, emojiText, cjkText, longDocument(2_000)],
        },
        // A query that is its own document pushes relevance models to their top score.
        {
          query: policyDocuments[1] ?? '',
          values: [policyDocuments[1] ?? '', policyDocuments[0] ?? ''],
        },
      ];
      for (const { query, values } of calls) {
        const result = await stage.doRerank({
          query,
          documents: { type: 'text', values: fitDocuments(stage, values) },
        });
        for (const entry of result.ranking) {
          assert.ok(
            Number.isFinite(entry.score) && entry.score >= low && entry.score <= high,
            `score ${entry.score} of document ${entry.index} is outside [${low}, ${high}] for scoreKind '${stage.scoreKind}'`,
          );
        }
      }
    },
    capabilities.timeoutMs,
  );
}
