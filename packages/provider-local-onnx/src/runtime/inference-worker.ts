/**
 * The inference worker's entry point. onnxruntime-node's `session.run` executes synchronously on
 * the calling thread (it only defers with `setImmediate`), so scoring on the main thread would
 * freeze the event loop; here it blocks only this worker. Requests run one at a time, and a
 * cancel message is seen between batches because each `session.run` yields once.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

try {
  const runner = await ModelRunner.load(workerData as RunnerOptions);
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'cancel') {
      cancelled.add(request.id);
      return;
    }
    queue = queue.then(async () => {
      const isCancelled = () => cancelled.has(request.id);
      try {
        if (request.type === 'score') {
          const result = await runner.score(request.query, request.documents, isCancelled);
          send({ type: 'score-result', id: request.id, result }, [
            result.logits.buffer as ArrayBuffer,
          ]);
        } else {
          const result = await runner.embed(
            request.texts,
            request.pooling,
            request.normalize,
            isCancelled,
          );
          send({ type: 'embed-result', id: request.id, result }, [
            result.embeddings.buffer as ArrayBuffer,
          ]);
        }
      } catch (error) {
        send({ type: 'error', id: request.id, error: serialize(error) });
      } finally {
        cancelled.delete(request.id);
      }
    });
  });
  send({ type: 'ready', info: runner.info });
} catch (error) {
  send({ type: 'load-error', error: serialize(error) });
}
