import { AbortedError, TimeoutError } from '@twostage/core';
import type { FastifyReply } from 'fastify';
import type { ServerContext } from './server-context.js';
import { ServerError } from './server-error.js';

/**
 * Runs one request's model work under the admission limit and the per-request timeout; a client
 * that hangs up cancels it. A timeout becomes `timeout` (504), a hang-up `cancelled`.
 *
 * @param documents - the request's documents (or texts to embed), counted against the server's
 *   document permits
 * @throws ServerError `overloaded` (429) when the server holds its limit of requests, or of
 *   documents, already
 */
export async function runAdmitted<T>(
  context: ServerContext,
  reply: FastifyReply,
  documents: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const release = context.admission.admit(documents);
  const { timeoutMs } = context.settings;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TimeoutError({ operation: 'the request', timeoutMs })),
    timeoutMs,
  );
  // 'close' before the response finished: the client is gone, its share of a batch is dropped.
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  };
  reply.raw.once('close', onClose);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (
      controller.signal.aborted &&
      (AbortedError.isInstance(error) || TimeoutError.isInstance(error))
    ) {
      if (TimeoutError.isInstance(controller.signal.reason)) {
        throw new ServerError('timeout', `the request took longer than ${timeoutMs} ms`);
      }
      throw new ServerError('cancelled', 'request cancelled');
    }
    throw error;
  } finally {
    clearTimeout(timer);
    reply.raw.off('close', onClose);
    release();
  }
}
