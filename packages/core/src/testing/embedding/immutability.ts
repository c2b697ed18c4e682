import * as assert from 'node:assert/strict';
import type { EmbeddingModelV1CallOptions } from '../../spec/v1/index.js';
import { deepFreeze } from '../helpers/deep-freeze.js';
import { fitValues } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** The model never writes to its call options. */
export function registerEmbeddingImmutabilityTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  registerTest(
    test,
    'embedding model: does not mutate its call options (deep-frozen)',
    async () => {
      const model = await factory();
      const options: EmbeddingModelV1CallOptions = {
        values: fitValues(model, embeddingTexts),
        inputType: 'query',
        headers: { 'x-conformance': 'immutability' },
        providerOptions: { conformance: { note: 'ignored' } },
      };
      const snapshot = structuredClone(options);
      await model.doEmbed(deepFreeze(options));
      assert.deepEqual(options, snapshot, 'the call options changed');
    },
    capabilities.timeoutMs,
  );
}
