import * as assert from 'node:assert/strict';
import { watchTimers } from '../helpers/active-timers.js';
import { expectAborted } from '../helpers/expect-aborted.js';
import { registerTest } from '../test-function.js';
import { copyCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** An abort rejects with `AbortedError` and leaves nothing running. */
export function registerRetrieveAbortTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  registerTest(
    test,
    'retrieve stage: an already-aborted signal rejects with AbortedError',
    async () => {
      const stage = await factory(copyCorpus());
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the test'));
      await expectAborted(
        stage.doRetrieve({ query: 'early repayment fee', topK: 3, abortSignal: controller.signal }),
        'doRetrieve with an aborted signal',
      );
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.abortMidFlight) return;
  registerTest(
    test,
    'retrieve stage: aborting a call in flight rejects with AbortedError and leaves no timer running',
    async () => {
      const stage = await factory(copyCorpus());
      const timers = watchTimers();
      try {
        const controller = new AbortController();
        const call = stage.doRetrieve({
          query: 'early repayment fee',
          topK: 3,
          abortSignal: controller.signal,
        });
        // Started, but no turn of the event loop has run since: the call cannot have finished.
        controller.abort(new Error('cancelled by the test'));
        await expectAborted(call, 'doRetrieve aborted in flight');
        const left = await timers.leftRunning();
        assert.equal(left, 0, `the aborted call left ${left} timer(s) running`);
      } finally {
        timers.stop();
      }
    },
    capabilities.timeoutMs,
  );
}
