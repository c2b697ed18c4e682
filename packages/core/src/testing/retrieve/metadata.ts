import * as assert from 'node:assert/strict';
import { registerTest } from '../test-function.js';
import { copyCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** The stage declares consistent metadata. */
export function registerRetrieveMetadataTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  registerTest(
    test,
    'retrieve stage: declares specificationVersion v1, provider, modelId and maxTopK',
    async () => {
      const stage = await factory(copyCorpus());
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
        stage.maxTopK === undefined || (Number.isInteger(stage.maxTopK) && stage.maxTopK > 0),
        `maxTopK must be a positive integer or undefined, got ${stage.maxTopK}`,
      );
      assert.equal(typeof stage.doRetrieve, 'function', 'doRetrieve must be a function');
    },
    capabilities.timeoutMs,
  );
}
