import * as assert from 'node:assert/strict';
import { registerTest } from '../test-function.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** The model declares consistent metadata. */
export function registerEmbeddingMetadataTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  registerTest(
    test,
    'embedding model: declares specificationVersion v1, provider, modelId, dimensions, maxEmbeddingsPerCall and supportsParallelCalls',
    async () => {
      const model = await factory();
      assert.equal(model.specificationVersion, 'v1', 'specificationVersion');
      assert.ok(
        typeof model.provider === 'string' && model.provider.trim() !== '',
        'provider must be a non-empty string',
      );
      assert.ok(
        typeof model.modelId === 'string' && model.modelId.trim() !== '',
        'modelId must be a non-empty string',
      );
      assert.ok(
        Number.isInteger(model.dimensions) && model.dimensions > 0,
        `dimensions must be a positive integer, got ${model.dimensions}`,
      );
      assert.ok(
        model.maxEmbeddingsPerCall === undefined ||
          (Number.isInteger(model.maxEmbeddingsPerCall) && model.maxEmbeddingsPerCall > 0),
        `maxEmbeddingsPerCall must be a positive integer or undefined, got ${model.maxEmbeddingsPerCall}`,
      );
      assert.equal(
        typeof model.supportsParallelCalls,
        'boolean',
        'supportsParallelCalls must be a boolean',
      );
      assert.equal(typeof model.doEmbed, 'function', 'doEmbed must be a function');
    },
    capabilities.timeoutMs,
  );
}
