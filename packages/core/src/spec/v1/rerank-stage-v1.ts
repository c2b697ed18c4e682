import type { CallOptionsV1, JsonObject, ResponseMetadataV1, WarningV1 } from './shared-v1.js';

/**
 * What a rerank stage's scores mean, and so their range:
 * - `probability`: calibrated relevance in [0, 1] (Cohere, a cross-encoder behind a sigmoid);
 * - `logit`: an unbounded real (a cross-encoder's raw output);
 * - `similarity`: a cosine-like value in [-1, 1].
 */
export type ScoreKindV1 = 'probability' | 'logit' | 'similarity';

/**
 * The documents of one rerank call: plain strings, or JSON objects that each adapter renders
 * its own way (warning when the rendering is lossy).
 */
export type RerankDocumentsV1 =
  | { type: 'text'; values: string[] }
  | { type: 'object'; values: JsonObject[] };

/** Options of one `doRerank` call. Adapters must not mutate them. */
export type RerankStageV1CallOptions = CallOptionsV1 & {
  /** The query; core guarantees it is not blank. */
  query: string;
  /** The candidates; core guarantees at most `maxDocumentsPerCall` of them and at least one. */
  documents: RerankDocumentsV1;
  /** How many results to return; core guarantees 1 ≤ topN ≤ documents. All when absent. */
  topN?: number;
};

/** One entry of a ranking: the position of a document in the call's input and its score. */
export type RankedIndexV1 = { index: number; score: number };

/** What one `doRerank` call returns. */
export type RerankStageV1Result = {
  /** Sorted by score, descending; indices refer to the call's `documents.values`. */
  ranking: RankedIndexV1[];
  /**
   * Billing or compute units, when the provider reports them; `cacheHits` / `cacheMisses` when
   * a cache (`withCache`) answered some documents itself.
   */
  usage?: { searchUnits?: number; inputTokens?: number; cacheHits?: number; cacheMisses?: number };
  /**
   * `provider:modelId` of the stage that really answered, when it is not this stage (a fallback
   * chain says which of its stages did).
   */
  servedBy?: string;
  warnings?: WarningV1[];
  response?: ResponseMetadataV1;
};

/**
 * Stage 2: a cross-encoder (or hosted equivalent) that scores each (query, document) pair.
 *
 * Adapters never retry: they map failures to the core error family (`ApiCallError` with
 * `isRetryable` / `retryAfterMs`) and core's retry loop decides.
 */
export type RerankStageV1 = {
  readonly specificationVersion: 'v1';
  /** Provider name, as used in a `provider:model` reference (`cohere`, `local-onnx`, ...). */
  readonly provider: string;
  /** The model id as the provider knows it. */
  readonly modelId: string;
  /** The most documents one call accepts; core windows larger inputs. Unlimited when undefined. */
  readonly maxDocumentsPerCall: number | undefined;
  /** What the scores mean and their range. */
  readonly scoreKind: ScoreKindV1;
  /** Scores the documents against the query. */
  doRerank(options: RerankStageV1CallOptions): PromiseLike<RerankStageV1Result>;
};
