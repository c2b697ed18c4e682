import { type EmbeddingModelV1, InvalidArgumentError, type RerankStageV1 } from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';
import type { Logger } from 'pino';

/** Limits that protect the box. */
export type RerankServerLimits = {
  /** Documents (or texts) per request; more is refused. @default 1000 */
  maxDocumentsPerRequest?: number;
  /** Request body size in bytes; larger is refused with 413. @default 2000000 (TEI's payload limit) */
  maxBodyBytes?: number;
  /**
   * Tokens per document, estimated at four characters a token; a longer document is cut, or
   * refused when the request asks (TEI `truncate: false`). Cohere's `max_tokens_per_doc` lowers
   * it per request. @default the reranker's `maxInputTokens`, else 512
   */
  maxTokensPerDocument?: number;
  /** Requests held at once, waiting or being scored; past it, 429 with `Retry-After`. @default 64 */
  maxConcurrentRequests?: number;
  /**
   * Documents (or texts to embed) held at once over every request, waiting or being scored; a
   * request that would pass it gets 429 with `Retry-After`. `GET /info` reports it as TEI's
   * `max_concurrent_requests` (TEI takes one permit per text). At least `maxDocumentsPerRequest`.
   * @default 8192, or `maxDocumentsPerRequest` when that is larger
   */
  maxConcurrentDocuments?: number;
  /** Per-request timeout in milliseconds, waiting included; past it, 504. @default 30000 */
  requestTimeoutMs?: number;
  /** `Retry-After` seconds on 429 and 503. @default 1 */
  retryAfterSeconds?: number;
};

/** How requests become model calls. */
export type RerankServerBatching = {
  /** Merge concurrent requests into shared batches; off, every request is its own call. @default true */
  microBatching?: boolean;
  /** How long an idle server waits for more requests before a batch starts, in ms. @default 2 */
  windowMs?: number;
  /** Estimated tokens per batch. @default 16384 (TEI's `max_batch_tokens`) */
  maxBatchTokens?: number;
  /** Batches scored at once. @default 2 (the local ONNX stage's two sessions on a CPU) */
  modelConcurrency?: number;
};

/** Options of {@link createRerankServer}. */
export type RerankServerOptions = {
  /** The stage that scores every rerank route. */
  reranker: RerankStageV1;
  /** Serves `/v2/embed` and `/embed` when set. */
  embeddingModel?: EmbeddingModelV1;
  /** Accepted bearer tokens (`parseServerTokens(process.env.TWOSTAGE_SERVER_TOKENS)`); empty only with `insecureNoAuth`. */
  tokens: readonly string[];
  /** Accept requests without a token; `listen` refuses it on a non-loopback host. @default false */
  insecureNoAuth?: boolean;
  /** Limits that protect the box. */
  limits?: RerankServerLimits;
  /** How requests become model calls. */
  batching?: RerankServerBatching;
  /** A pino logger; the default writes JSON lines to stdout. Tokens never reach it. */
  logger?: Logger;
  /** Score one document before `/ready` answers 200. @default true */
  warmUp?: boolean;
};

/** Every limit and batching rule, defaults applied. */
export type ResolvedServerOptions = {
  maxDocuments: number;
  maxBodyBytes: number;
  maxTokens: number;
  maxConcurrentRequests: number;
  maxConcurrentDocuments: number;
  timeoutMs: number;
  retryAfterSeconds: number;
  microBatching: boolean;
  windowMs: number;
  maxBatchTokens: number;
  modelConcurrency: number;
};

const optionNames = [
  'reranker',
  'embeddingModel',
  'tokens',
  'insecureNoAuth',
  'limits',
  'batching',
  'logger',
  'warmUp',
];
const limitNames = [
  'maxDocumentsPerRequest',
  'maxBodyBytes',
  'maxTokensPerDocument',
  'maxConcurrentRequests',
  'maxConcurrentDocuments',
  'requestTimeoutMs',
  'retryAfterSeconds',
];
const batchingNames = ['microBatching', 'windowMs', 'maxBatchTokens', 'modelConcurrency'];

function integer(value: unknown, argument: string, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw new InvalidArgumentError({
      argument,
      message: `must be an integer of at least ${minimum}, got ${String(value)}.`,
    });
  }
  return value;
}

function optionalObject(value: unknown, argument: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument, message: 'must be an object.' });
  }
  return value as Record<string, unknown>;
}

/**
 * Checks the options (plain-JS callers included) and applies the defaults.
 * @throws InvalidArgumentError for an unknown option, a bad limit, a reranker that is not a
 *   `RerankStageV1`, bad tokens, or no tokens without `insecureNoAuth`
 */
export function resolveServerOptions(options: RerankServerOptions): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'must be an object.' });
  }
  checkOptionNames(options, optionNames, 'createRerankServer()', 'options');
  const limits = optionalObject(options.limits, 'options.limits');
  checkOptionNames(limits, limitNames, 'createRerankServer()', 'options.limits');
  const batching = optionalObject(options.batching, 'options.batching');
  checkOptionNames(batching, batchingNames, 'createRerankServer()', 'options.batching');
  const { reranker } = options;
  if (reranker?.specificationVersion !== 'v1' || typeof reranker.doRerank !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.reranker',
      message: 'must be a RerankStageV1.',
    });
  }
  const model = options.embeddingModel;
  if (
    model !== undefined &&
    (model?.specificationVersion !== 'v1' || typeof model.doEmbed !== 'function')
  ) {
    throw new InvalidArgumentError({
      argument: 'options.embeddingModel',
      message: 'must be an EmbeddingModelV1.',
    });
  }
  const { tokens } = options;
  if (
    !Array.isArray(tokens) ||
    tokens.some((token) => typeof token !== 'string' || token.length === 0)
  ) {
    throw new InvalidArgumentError({
      argument: 'options.tokens',
      message: 'must be an array of non-empty strings.',
    });
  }
  if (options.insecureNoAuth !== undefined && typeof options.insecureNoAuth !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'options.insecureNoAuth',
      message: 'must be a boolean.',
    });
  }
  if (tokens.length === 0 && options.insecureNoAuth !== true) {
    throw new InvalidArgumentError({
      argument: 'options.tokens',
      message:
        'is empty: set TWOSTAGE_SERVER_TOKENS, or pass insecureNoAuth (allowed on a loopback host only).',
    });
  }
  const microBatching = batching.microBatching ?? true;
  if (typeof microBatching !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'options.batching.microBatching',
      message: 'must be a boolean.',
    });
  }
  const maxDocuments = integer(
    limits.maxDocumentsPerRequest,
    'options.limits.maxDocumentsPerRequest',
    1000,
  );
  const maxConcurrentDocuments = integer(
    limits.maxConcurrentDocuments,
    'options.limits.maxConcurrentDocuments',
    Math.max(8192, maxDocuments),
  );
  if (maxConcurrentDocuments < maxDocuments) {
    // A full request could then never be admitted.
    throw new InvalidArgumentError({
      argument: 'options.limits.maxConcurrentDocuments',
      message: `must be at least options.limits.maxDocumentsPerRequest (${maxDocuments}), got ${maxConcurrentDocuments}.`,
    });
  }
  return {
    maxDocuments,
    maxBodyBytes: integer(limits.maxBodyBytes, 'options.limits.maxBodyBytes', 2_000_000),
    maxTokens: integer(
      limits.maxTokensPerDocument,
      'options.limits.maxTokensPerDocument',
      reranker.maxInputTokens ?? 512,
    ),
    maxConcurrentRequests: integer(
      limits.maxConcurrentRequests,
      'options.limits.maxConcurrentRequests',
      64,
    ),
    maxConcurrentDocuments,
    timeoutMs: integer(limits.requestTimeoutMs, 'options.limits.requestTimeoutMs', 30_000),
    retryAfterSeconds: integer(limits.retryAfterSeconds, 'options.limits.retryAfterSeconds', 1),
    microBatching,
    windowMs: integer(batching.windowMs, 'options.batching.windowMs', 2, 0),
    maxBatchTokens: integer(batching.maxBatchTokens, 'options.batching.maxBatchTokens', 16_384),
    modelConcurrency: integer(batching.modelConcurrency, 'options.batching.modelConcurrency', 2),
  };
}
