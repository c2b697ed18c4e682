import * as assert from 'node:assert/strict';
import { embedMany } from '../../embed/embed-many.js';
import type { EmbeddingModelV1, EmbeddingModelV1CallOptions } from '../../spec/v1/index.js';
import { assertValidEmbeddings, assertVectorsClose } from '../helpers/assert-vectors.js';
import { fitValues } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

function batchValues(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => `${embeddingTexts[index % embeddingTexts.length]} (${index})`,
  );
}

/** A full batch of `maxEmbeddingsPerCall` is accepted; core's `embedMany` batches larger inputs. */
export function registerBatchTests({ test, factory, capabilities }: EmbeddingSuiteContext): void {
  registerTest(
    test,
    'embedding model: accepts a full batch of maxEmbeddingsPerCall values',
    async () => {
      const model = await factory();
      const count = Math.min(
        model.maxEmbeddingsPerCall ?? capabilities.maxTestedEmbeddings,
        capabilities.maxTestedEmbeddings,
      );
      const result = await model.doEmbed({ values: batchValues(count), inputType: 'document' });
      assertValidEmbeddings(result.embeddings, {
        count,
        dimensions: model.dimensions,
        what: `doEmbed of ${count} values`,
      });
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'embedMany(): batches by maxEmbeddingsPerCall, one vector per value in order',
    async () => {
      const model = await factory();
      const batchSizes: number[] = [];
      const observed: EmbeddingModelV1 = {
        specificationVersion: model.specificationVersion,
        provider: model.provider,
        modelId: model.modelId,
        dimensions: model.dimensions,
        maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
        supportsParallelCalls: model.supportsParallelCalls,
        doEmbed(options: EmbeddingModelV1CallOptions) {
          batchSizes.push(options.values.length);
          return model.doEmbed(options);
        },
      };
      const limit = model.maxEmbeddingsPerCall;
      const count = Math.min(
        capabilities.maxTestedEmbeddings,
        limit === undefined ? 10 : limit * 2 + 1,
      );
      const values = batchValues(count);
      const result = await embedMany({ model: observed, values });
      assertValidEmbeddings(result.embeddings, {
        count,
        dimensions: model.dimensions,
        what: `embedMany of ${count} values`,
      });
      for (const size of batchSizes) {
        assert.ok(
          limit === undefined || size <= limit,
          `a call got ${size} values, above maxEmbeddingsPerCall ${limit}`,
        );
      }
      if (!capabilities.deterministic) return;
      const direct = await model.doEmbed({
        values: fitValues(model, values.slice(0, 3)),
        inputType: 'document',
      });
      for (const [index, expected] of direct.embeddings.entries()) {
        const actual = result.embeddings[index];
        if (actual === undefined) throw new Error(`missing vector ${index}`);
        assertVectorsClose(
          actual,
          expected,
          capabilities.vectorTolerance,
          `embedMany value ${index}`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}
