import * as assert from 'node:assert/strict';
import { registerTest } from '../test-function.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

const scoreKinds: readonly string[] = ['probability', 'logit', 'similarity'];

/** The stage declares consistent metadata: spec version, names, window size, score kind. */
export function registerRerankMetadataTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  registerTest(
    test,
    'rerank stage: declares specificationVersion v1, provider, modelId, maxDocumentsPerCall and scoreKind',
    async () => {
      const stage = await factory();
      assert.equal(stage.specificationVersion, 'v1', 'specificationVersion');
      assert.ok(
        typeof stage.provider === 'string' && stage.provider.trim() !== '',
        'provider must be a non-empty string',
      );
      assert.ok(
        typeof stage.modelId === 'string' && stage.modelId.trim() !== '',
        'modelId must be a non-empty string',
      );
      assert.ok(
        stage.maxDocumentsPerCall === undefined ||
          (Number.isInteger(stage.maxDocumentsPerCall) && stage.maxDocumentsPerCall > 0),
        `maxDocumentsPerCall must be a positive integer or undefined, got ${stage.maxDocumentsPerCall}`,
      );
      assert.ok(
        scoreKinds.includes(stage.scoreKind),
        `scoreKind '${stage.scoreKind}' is not one of ${scoreKinds.join(', ')}`,
      );
      if (capabilities.scoreKind !== undefined) {
        assert.equal(
          stage.scoreKind,
          capabilities.scoreKind,
          'scoreKind differs from the expected one',
        );
      }
      assert.equal(typeof stage.doRerank, 'function', 'doRerank must be a function');
    },
    capabilities.timeoutMs,
  );
}
