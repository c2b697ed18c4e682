import * as assert from 'node:assert/strict';
import type { RetrieveStageV1CallOptions } from '../../spec/v1/index.js';
import type { ConformanceDocument } from '../conformance-document.js';
import { deepFreeze } from '../helpers/deep-freeze.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** The stage never writes to its call options, nor to the corpus its factory was given. */
export function registerRetrieveImmutabilityTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  registerTest(
    test,
    'retrieve stage: does not mutate its call options (deep-frozen)',
    async () => {
      const stage = await factory(copyCorpus());
      const options: RetrieveStageV1CallOptions = {
        query: 'credit card annual fee',
        topK: 3,
        headers: { 'x-conformance': 'immutability' },
        providerOptions: { conformance: { note: 'ignored' } },
      };
      if (capabilities.filters)
        options.filter = {
          $or: [{ category: { $in: ['card', 'loan'] } }, { year: { $gte: 2024 } }],
        };
      const snapshot = structuredClone(options);
      await stage.doRetrieve(deepFreeze(options));
      assert.deepEqual(options, snapshot, 'the call options changed');
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'retrieve stage: does not mutate the corpus it was built from',
    async () => {
      const corpus: ConformanceDocument[] = deepFreeze(copyCorpus());
      const stage = await factory(corpus);
      await stage.doRetrieve({ query: 'credit card annual fee', topK: 3 });
      assert.deepEqual(corpus, [...retrieveCorpus], 'the corpus changed');
    },
    capabilities.timeoutMs,
  );
}
