/**
 * An inference worker's entry point. onnxruntime-node's `session.run` executes synchronously on
 * the calling thread (it only defers with `setImmediate`), so scoring on the main thread would
 * freeze the event loop; here it blocks only this worker. Requests (encode a call's texts, run
 * one batch) are answered one at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rowBuffers } from './encoded-rows.js';
import { ModelRunner, RunnerError, type RunnerOptions } from './model-runner.js';
import type { SerializedRunnerError, WorkerRequest, WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('inference-worker must run in a worker thread');

const serialize = (error: unknown): SerializedRunnerError =>
  error instanceof RunnerError
    ? { code: error.code, message: error.message, file: error.file }
    : { code: 'runtime', message: error instanceof Error ? error.message : String(error) };

const send = (message: WorkerResponse, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

let queue: Promise<void> = Promise.resolve();

async function answer(runner: ModelRunner, request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'encode-pairs': {
      const rows = runner.encodePairs(request.query, request.documents);
      send({ type: 'encoded', id: request.id, rows }, rowBuffers(rows));
      return;
    }
    case 'encode-texts': {
      const rows = runner.encodeTexts(request.texts);
      send({ type: 'encoded', id: request.id, rows }, rowBuffers(rows));
      return;
    }
    case 'score': {
      const values = await runner.scoreRows(request.rows);
      send({ type: 'values', id: request.id, values }, [values.buffer as ArrayBuffer]);
      return;
    }
    case 'embed': {
      const values = await runner.embedRows(request.rows, request.pooling, request.normalize);
      send({ type: 'values', id: request.id, values }, [values.buffer as ArrayBuffer]);
      return;
    }
  }
}

try {
  const runner = await ModelRunner.load(workerData as RunnerOptions);
  port.on('message', (request: WorkerRequest) => {
    queue = queue.then(() =>
      answer(runner, request).catch((error: unknown) =>
        send({ type: 'error', id: request.id, error: serialize(error) }),
      ),
    );
  });
  send({ type: 'ready', info: runner.info });
} catch (error) {
  send({ type: 'load-error', error: serialize(error) });
}
