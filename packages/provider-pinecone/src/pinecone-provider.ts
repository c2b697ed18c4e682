import {
  type EmbeddingModelV1,
  InvalidArgumentError,
  type RerankStageV1,
  type RetrieveStageV1,
} from '@twostage/core';
import { checkOptionNames, validateTimeoutMs } from '@twostage/core/provider-utils';
import { PineconeConnection } from './pinecone-connection.js';
import {
  PineconeEmbeddingModel,
  type PineconeEmbeddingSettings,
} from './pinecone-embedding-model.js';
import type { PineconeEmbeddingModelId, PineconeRerankModelId } from './pinecone-models.js';
import { type PineconeRerankSettings, PineconeRerankStage } from './pinecone-rerank-stage.js';
import { PineconeRetriever, type PineconeRetrieverOptions } from './pinecone-retriever.js';
import {
  type UpsertDocumentsOptions,
  type UpsertDocumentsResult,
  upsertDocuments,
} from './upsert-documents.js';

/**
 * Settings of {@link createPinecone}. Nothing is read until the first call; only `timeoutMs`,
 * which no environment can fix, is checked when the provider is created.
 */
export type PineconeProviderSettings = {
  /**
   * The API key.
   * @default the `PINECONE_API_KEY` environment variable, read at the first call
   */
  apiKey?: string;
  /**
   * The control plane and inference base URL.
   * @default the `PINECONE_CONTROLLER_HOST` environment variable, else `https://api.pinecone.io`
   */
  controllerHostUrl?: string;
  /**
   * The data-plane host of the index (one string for every index, or one per index name), to
   * skip the host lookup (`GET /indexes/{name}`) at the first call.
   * @default looked up once per index
   */
  indexHost?: string | Readonly<Record<string, string>>;
  /** Headers added to every request (per-call `headers` are added after them). */
  headers?: Record<string, string | undefined>;
  /**
   * How long one HTTP request may take, from sending it to the last byte of the answer, before
   * it fails with a retryable `ApiCallError` (core's retry loop then decides). Each request of an
   * operation (the host lookup, each upsert batch) gets the whole time.
   * @default 30000
   */
  timeoutMs?: number;
  /** A `fetch` implementation, e.g. with a proxy agent or for tests. @default `globalThis.fetch` */
  fetch?: typeof globalThis.fetch;
};

/** The Pinecone provider: stage 1, hosted stage 2, hosted embeddings, and ingestion. */
export type PineconeProvider = {
  /** Stage 1 on a Pinecone index (vector query, or integrated-inference text search). */
  retriever(options: PineconeRetrieverOptions): PineconeRetriever & RetrieveStageV1;
  /** A rerank stage over a Pinecone-hosted reranker. */
  reranker(
    modelId: PineconeRerankModelId | (string & {}),
    settings?: PineconeRerankSettings,
  ): PineconeRerankStage & RerankStageV1;
  /** An embedding model hosted by Pinecone. */
  embeddingModel(
    modelId: PineconeEmbeddingModelId | (string & {}),
    settings?: PineconeEmbeddingSettings,
  ): PineconeEmbeddingModel & EmbeddingModelV1;
  /** Ingests documents in batches, reporting which ids landed and which failed. */
  upsertDocuments(options: UpsertDocumentsOptions): Promise<UpsertDocumentsResult>;
};

/**
 * Creates a Pinecone provider. One client is built lazily at the first call and shared by every
 * stage the provider makes; constructing never throws for a missing key.
 *
 * @example
 * const pinecone = createPinecone({ apiKey: process.env.MY_KEY, timeoutMs: 10_000 });
 * const retriever = pinecone.retriever({
 *   index: 'bank-policies',
 *   embeddingModel: pinecone.embeddingModel('multilingual-e5-large'),
 * });
 */
export function createPinecone(settings: PineconeProviderSettings = {}): PineconeProvider {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidArgumentError({ argument: 'settings', message: 'must be an object.' });
  }
  checkOptionNames(
    settings,
    ['apiKey', 'controllerHostUrl', 'indexHost', 'headers', 'timeoutMs', 'fetch'],
    'createPinecone()',
    'settings',
  );
  validateTimeoutMs(settings.timeoutMs, 'timeoutMs');
  const connection = new PineconeConnection(settings);
  return {
    retriever: (options) => new PineconeRetriever(connection, options),
    reranker: (modelId, rerankSettings) =>
      new PineconeRerankStage(connection, modelId, rerankSettings),
    embeddingModel: (modelId, embeddingSettings) =>
      new PineconeEmbeddingModel(connection, modelId, embeddingSettings),
    upsertDocuments: (options) => upsertDocuments(connection, options),
  };
}

/** The default provider: key from `PINECONE_API_KEY`, read at the first call. */
export const pinecone: PineconeProvider = createPinecone();
