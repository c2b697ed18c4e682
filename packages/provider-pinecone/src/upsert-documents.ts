import type { PineconeRecord } from '@pinecone-database/pinecone';
import type { EmbeddingModelV1, HeadersV1 } from '@twostage/core';
import {
  AbortedError,
  embedMany,
  InvalidArgumentError,
  raceAbort,
  retryWithBackoff,
  throwIfAborted,
} from '@twostage/core';
import { validateInteger } from '@twostage/core/provider-utils';
import pLimit from 'p-limit';
import type { PineconeConnection } from './pinecone-connection.js';
import type { PineconeDocument } from './pinecone-document.js';
import { jsonBytes, type PlannedBatch, planBatches } from './plan-batches.js';
import {
  type PreparedDocument,
  pineconeUpsertLimits,
  prepareDocuments,
} from './prepare-documents.js';
import { UpsertAbortedError } from './upsert-aborted-error.js';

export type { PineconeDocument } from './pinecone-document.js';
export { pineconeUpsertLimits } from './prepare-documents.js';

/** Progress after each batch, for a progress bar or a log. */
export type UpsertProgress = {
  /** Documents in the whole call. */
  total: number;
  /** Documents upserted so far. */
  upserted: number;
  /** Documents failed so far. */
  failed: number;
  /** The batch that just finished: its ids, and its error when it failed. */
  batch: { ids: string[]; error?: Error };
};

/** Options of `pinecone.upsertDocuments(...)`. */
export type UpsertDocumentsOptions = {
  /** The index name. */
  index: string;
  /** The namespace to write to; Pinecone's default namespace when absent. */
  namespace?: string;
  /** The documents; never mutated. */
  documents: readonly PineconeDocument[];
  /**
   * Embeds the documents (input type `document`) and upserts vectors, with the text stored in
   * the metadata under `textField`. Without it, the documents go to `upsertRecords` (NDJSON) and
   * an index with integrated embedding embeds them.
   */
  embeddingModel?: EmbeddingModelV1;
  /**
   * Where the text is stored: the metadata field (vectors), or the record field that the index's
   * `field_map` embeds (records).
   * @default 'text'
   */
  textField?: string;
  /**
   * Documents per request, before the byte limit splits further. At most 1000 for vectors and
   * 96 for records (Pinecone's limits).
   * @default for vectors the embedding model's `maxEmbeddingsPerCall` (so each batch is one embed
   *   call; 96 for Pinecone's and Cohere's models), else 100; 96 for records
   */
  batchSize?: number;
  /**
   * The largest request body, in bytes; a batch over it is split. Pinecone's limit is 2 MB; the
   * default stays under it whichever way "MB" is read.
   * @default 2_000_000
   */
  maxRequestBytes?: number;
  /**
   * Batches in flight at once.
   * @default 4
   */
  concurrency?: number;
  /**
   * Retries of a batch (its embedding and its upsert) after a retryable failure (429, 5xx,
   * network), through core's `retryWithBackoff`, which honours `Retry-After`.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Called after each batch, in completion order. If it throws, no further batch starts, and
   * once the batches in flight have settled the call rejects with that error.
   */
  onProgress?: (progress: UpsertProgress) => void;
  /**
   * Stops the ingestion: no further batch starts, requests in flight are aborted, and the call
   * rejects at once with an {@link UpsertAbortedError} (an `AbortedError`) listing which ids had
   * landed, had failed, were in flight (may have landed) and were never sent. Re-running the
   * ingestion is idempotent.
   */
  abortSignal?: AbortSignal;
  /** Extra HTTP headers for the Pinecone requests. */
  headers?: HeadersV1;
  /** The index's data-plane host, to skip the host lookup. @default the provider's `indexHost` */
  indexHost?: string;
};

/** What `upsertDocuments` did, id by id, in input order. */
export type UpsertDocumentsResult = {
  /** The ids that landed. */
  upserted: string[];
  /** The ids that did not, each with the error of its batch (after retries). */
  failed: { id: string; error: Error }[];
};

type Outcome = { landed: true } | { landed: false; error: Error };

/**
 * Ingests documents into a Pinecone index in batches within Pinecone's request limits (count and
 * bytes, measured on the serialised body), with bounded concurrency, deterministic ids and
 * retries of retryable batches. A failing batch does not stop the others: the result lists
 * exactly which ids landed and which failed, and why. Everything that can be checked before
 * sending (ids, metadata types, the 40 KB metadata limit) is, and fails the call up front.
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/upsert
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/upsert_records
 */
export async function upsertDocuments(
  connection: PineconeConnection,
  options: UpsertDocumentsOptions,
): Promise<UpsertDocumentsResult> {
  const { embeddingModel, abortSignal, headers, onProgress } = options;
  if (typeof options.index !== 'string' || options.index.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'index',
      message: 'must be a non-empty index name.',
    });
  }
  const mode = embeddingModel === undefined ? 'records' : 'vector';
  const textField = options.textField ?? 'text';
  const maxBatch =
    mode === 'vector'
      ? pineconeUpsertLimits.maxVectorsPerRequest
      : pineconeUpsertLimits.maxRecordsPerRequest;
  const perEmbedCall = embeddingModel?.maxEmbeddingsPerCall;
  const vectorDefault =
    perEmbedCall !== undefined && Number.isSafeInteger(perEmbedCall) && perEmbedCall >= 1
      ? Math.min(perEmbedCall, maxBatch)
      : 100;
  const batchSize = validateInteger(
    options.batchSize ?? (mode === 'vector' ? vectorDefault : 96),
    'batchSize',
    { min: 1, max: maxBatch },
  );
  const maxRequestBytes = validateInteger(options.maxRequestBytes ?? 2_000_000, 'maxRequestBytes', {
    min: 1024,
    max: 2 * 1024 * 1024,
  });
  const concurrency = validateInteger(options.concurrency ?? 4, 'concurrency', { min: 1, max: 64 });
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0, max: 10 });
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidArgumentError({ argument: 'onProgress', message: 'must be a function.' });
  }
  const documents = prepareDocuments(options.documents, textField, mode);
  if (documents.length === 0) {
    throwIfAborted(abortSignal);
    return { upserted: [], failed: [] };
  }

  const namespace = options.namespace;
  const call = { abortSignal, headers };
  const outcomes = new Map<number, Outcome>();
  /** Positions some upsert request has carried (answered or not). */
  const sent = new Set<number>();
  let upsertedCount = 0;
  let failedCount = 0;
  /** What `onProgress` threw, if it did. */
  let progressError: { error: unknown } | undefined;

  /** Where every id stood when the abort came, so the caller knows what is still missing. */
  const aborted = (reason: unknown): UpsertAbortedError => {
    const standing = {
      reason,
      upserted: [] as string[],
      failed: [] as { id: string; error: Error }[],
      inFlight: [] as string[],
      notAttempted: [] as string[],
    };
    for (const document of documents) {
      const outcome = outcomes.get(document.position);
      if (outcome?.landed === true) standing.upserted.push(document.id);
      else if (outcome !== undefined)
        standing.failed.push({ id: document.id, error: outcome.error });
      else if (sent.has(document.position)) standing.inFlight.push(document.id);
      else standing.notAttempted.push(document.id);
    }
    return new UpsertAbortedError(standing);
  };
  if (abortSignal?.aborted === true) throw aborted(abortSignal.reason);
  const index = connection.index(options.index, namespace, options.indexHost);

  const finish = (batch: PreparedDocument[], error: Error | undefined) => {
    for (const document of batch) {
      outcomes.set(
        document.position,
        error === undefined ? { landed: true } : { landed: false, error },
      );
    }
    if (error === undefined) upsertedCount += batch.length;
    else failedCount += batch.length;
    if (onProgress === undefined || progressError !== undefined) return;
    try {
      onProgress({
        total: documents.length,
        upserted: upsertedCount,
        failed: failedCount,
        batch: {
          ids: batch.map((document) => document.id),
          ...(error === undefined ? {} : { error }),
        },
      });
    } catch (callbackError) {
      // Thrown out of a batch, it would reject the call at once while the other batches went on
      // writing unobserved: stop starting batches instead, and rethrow once the rest settled.
      progressError = { error: callbackError };
    }
  };

  /** Sends one request's worth of documents, with retries; a failure is recorded, not thrown. */
  const send = async (requests: PlannedBatch<PreparedDocument & { record: unknown }>[]) => {
    for (const request of requests) {
      throwIfAborted(abortSignal);
      if (progressError !== undefined) return;
      let failure: Error | undefined;
      try {
        await retryWithBackoff(
          () => {
            for (const item of request.items) sent.add(item.position);
            return connection.run(
              mode === 'vector' ? 'upsert' : 'upsertRecords',
              () =>
                mode === 'vector'
                  ? index.upsert({
                      records: request.items.map((item) => item.record as PineconeRecord),
                    })
                  : index.upsertRecords({
                      records: request.items.map((item) => item.record as Record<string, string>),
                      // The 8.2 client puts the namespace into the URL path without encoding it.
                      // `''` names the default namespace, as on every other operation (an empty
                      // path segment would not).
                      namespace: encodeURIComponent(namespace || '__default__'),
                    }),
              call,
            );
          },
          { maxRetries, abortSignal },
        );
      } catch (error) {
        if (AbortedError.isInstance(error)) throw error;
        failure = toError(error);
      }
      finish(request.items, failure);
    }
  };

  const overheadBytes =
    mode === 'vector' ? jsonBytes({ vectors: [], namespace: namespace || '__default__' }) : 0;
  const plan = { maxItems: batchSize, maxBytes: maxRequestBytes, overheadBytes };

  const limit = pLimit(concurrency);
  const tasks: Promise<void>[] = [];
  for (let start = 0; start < documents.length; start += batchSize) {
    const batch = documents.slice(start, start + batchSize);
    tasks.push(
      limit(async () => {
        throwIfAborted(abortSignal);
        if (progressError !== undefined) return;
        if (mode === 'records') {
          const records = batch.map((document) => ({
            ...document,
            record: { _id: document.id, [textField]: document.text, ...document.metadata },
          }));
          await send(planBatches(records, (item) => jsonBytes(item.record), plan));
          return;
        }
        let embeddings: Float32Array[];
        try {
          ({ embeddings } = await embedMany({
            model: embeddingModel as EmbeddingModelV1,
            values: batch.map((document) => document.text),
            inputType: 'document',
            maxRetries,
            // Batches already run `concurrency` at a time; one embedding call each keeps it so.
            maxConcurrency: 1,
            ...(abortSignal === undefined ? {} : { abortSignal }),
          }));
        } catch (error) {
          if (AbortedError.isInstance(error)) throw error;
          finish(batch, toError(error));
          return;
        }
        const records = batch.map((document, position) => ({
          ...document,
          record: {
            id: document.id,
            values: compactVector(embeddings[position] as Float32Array),
            metadata: { ...document.metadata, [textField]: document.text },
          },
        }));
        await send(planBatches(records, (item) => jsonBytes(item.record), plan));
      }),
    );
  }

  const onAbort = () => limit.clearQueue();
  abortSignal?.addEventListener('abort', onAbort, { once: true });
  try {
    await raceAbort(Promise.all(tasks), abortSignal);
  } catch (error) {
    throw AbortedError.isInstance(error) ? aborted(error.reason) : error;
  } finally {
    abortSignal?.removeEventListener('abort', onAbort);
  }
  if (progressError !== undefined) throw progressError.error;

  const result: UpsertDocumentsResult = { upserted: [], failed: [] };
  for (const document of documents) {
    const outcome = outcomes.get(document.position);
    if (outcome?.landed === true) result.upserted.push(document.id);
    else
      result.failed.push({
        id: document.id,
        error: outcome?.error ?? new Error('The batch never ran.'),
      });
  }
  return result;
}

/**
 * Float32 values with 9 significant digits: enough to restore every float32 exactly (Pinecone
 * stores float32), in about two thirds of the bytes of a double's shortest form (13 950 against
 * 21 672 bytes for 1024 values in [-0.05, 0.05]), so more vectors fit under the size limit.
 */
function compactVector(embedding: Float32Array): number[] {
  return Array.from(embedding, (value) => Number(value.toPrecision(9)));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
