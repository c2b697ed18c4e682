import * as assert from 'node:assert/strict';
import { watchTimers } from '../helpers/active-timers.js';
import { expectAborted } from '../helpers/expect-aborted.js';
import { fitValues } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** An abort rejects with `AbortedError` and leaves nothing running. */
export function registerEmbeddingAbortTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  registerTest(
    test,
    'embedding model: an already-aborted signal rejects with AbortedError',
    async () => {
      const model = await factory();
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the test'));
      await expectAborted(
        model.doEmbed({
          values: fitValues(model, embeddingTexts),
          inputType: 'document',
          abortSignal: controller.signal,
        }),
        'doEmbed with an aborted signal',
      );
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.abortMidFlight) return;
  registerTest(
    test,
    'embedding model: aborting a call in flight rejects with AbortedError and leaves no timer running',
    async () => {
      const model = await factory();
      const timers = watchTimers();
      try {
        const controller = new AbortController();
        const call = model.doEmbed({
          values: fitValues(model, embeddingTexts),
          inputType: 'document',
          abortSignal: controller.signal,
        });
        // Started, but no turn of the event loop has run since: the call cannot have finished.
        controller.abort(new Error('cancelled by the test'));
        await expectAborted(call, 'doEmbed aborted in flight');
        const left = await timers.leftRunning();
        assert.equal(left, 0, `the aborted call left ${left} timer(s) running`);
      } finally {
        timers.stop();
      }
    },
    capabilities.timeoutMs,
  );
}
