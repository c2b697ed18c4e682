import * as assert from 'node:assert/strict';
import { rerank } from '../../rerank/rerank.js';
import { watchTimers } from '../helpers/active-timers.js';
import { expectAborted } from '../helpers/expect-aborted.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { observeRerankStage } from '../helpers/observe-rerank-stage.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** An abort rejects with `AbortedError` and leaves nothing running. */
export function registerRerankAbortTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  registerTest(
    test,
    'rerank stage: an already-aborted signal rejects with AbortedError',
    async () => {
      const stage = await factory();
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the test'));
      await expectAborted(
        stage.doRerank({
          query: policyQuery,
          documents: { type: 'text', values: fitDocuments(stage, policyDocuments) },
          abortSignal: controller.signal,
        }),
        'doRerank with an aborted signal',
      );
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'rerank(): an already-aborted signal rejects with AbortedError without calling the model',
    async () => {
      const observed = observeRerankStage(await factory());
      const controller = new AbortController();
      controller.abort();
      await expectAborted(
        rerank({
          model: observed.stage,
          query: policyQuery,
          documents: policyDocuments,
          abortSignal: controller.signal,
        }),
        'rerank() with an aborted signal',
      );
      assert.deepEqual(observed.calls, [], 'the model must not be called');
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.abortMidFlight) return;

  registerTest(
    test,
    'rerank stage: aborting a call in flight rejects with AbortedError and leaves no timer running',
    async () => {
      const stage = await factory();
      const timers = watchTimers();
      try {
        const controller = new AbortController();
        const call = stage.doRerank({
          query: policyQuery,
          documents: { type: 'text', values: fitDocuments(stage, policyDocuments) },
          abortSignal: controller.signal,
        });
        // The call has started (its promise exists) but cannot have finished: no turn of the
        // event loop has run since.
        controller.abort(new Error('cancelled by the test'));
        await expectAborted(call, 'doRerank aborted in flight');
        const left = await timers.leftRunning();
        assert.equal(left, 0, `the aborted call left ${left} timer(s) running`);
      } finally {
        timers.stop();
      }
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'rerank(): aborting in flight rejects with AbortedError and starts no further model call',
    async () => {
      const observed = observeRerankStage(await factory());
      const limit = observed.stage.maxDocumentsPerCall;
      const count = Math.min(capabilities.maxTestedDocuments, limit === undefined ? 8 : limit * 3);
      const documents = Array.from(
        { length: count },
        (_, index) => policyDocuments[index % policyDocuments.length] ?? '',
      );
      const timers = watchTimers();
      try {
        const controller = new AbortController();
        const call = rerank({
          model: observed.stage,
          query: policyQuery,
          documents,
          maxConcurrency: 1,
          abortSignal: controller.signal,
        });
        controller.abort(new Error('cancelled by the test'));
        await expectAborted(call, 'rerank() aborted in flight');
        const callsAtRejection = observed.calls.length;
        const left = await timers.leftRunning();
        assert.equal(
          observed.calls.length,
          callsAtRejection,
          'a model call started after the rejection',
        );
        assert.equal(left, 0, `the aborted rerank() left ${left} timer(s) running`);
      } finally {
        timers.stop();
      }
    },
    capabilities.timeoutMs,
  );
}
