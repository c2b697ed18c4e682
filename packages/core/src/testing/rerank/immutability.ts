import * as assert from 'node:assert/strict';
import type { RerankStageV1, RerankStageV1CallOptions } from '../../spec/v1/index.js';
import { deepFreeze } from '../helpers/deep-freeze.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** The stage never writes to its inputs: frozen inputs work and come back unchanged. */
export function registerRerankImmutabilityTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  const cases: { name: string; options: (stage: RerankStageV1) => RerankStageV1CallOptions }[] = [
    {
      name: 'text documents',
      options: (stage) => ({
        query: policyQuery,
        documents: { type: 'text', values: fitDocuments(stage, policyDocuments) },
        topN: 3,
        headers: { 'x-conformance': 'immutability' },
        providerOptions: { conformance: { note: 'ignored' } },
      }),
    },
  ];
  if (capabilities.objectDocuments) {
    cases.push({
      name: 'object documents',
      options: (stage) => ({
        query: policyQuery,
        documents: {
          type: 'object',
          values: fitDocuments(stage, policyDocuments).map((text, index) => ({
            text,
            title: `Policy ${index}`,
            tags: ['bank'],
          })),
        },
        topN: 3,
      }),
    });
  }
  for (const { name, options } of cases) {
    registerTest(
      test,
      `rerank stage: does not mutate its inputs (${name}, deep-frozen)`,
      async () => {
        const stage = await factory();
        const input = options(stage);
        const snapshot = structuredClone(input);
        await stage.doRerank(deepFreeze(input));
        assert.deepEqual(input, snapshot, 'the call options changed');
      },
      capabilities.timeoutMs,
    );
  }
}
