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

/**
 * A passage of a document's text: offsets in UTF-16 code units (JavaScript string indices),
 * `start` inclusive, `end` exclusive, so the passage is `text.slice(start, end)`.
 */
export type TextSpanV1 = { start: number; end: number };

/**
 * Options of `planLongDocumentWindows`. Counts are in the stage's own tokens. Adapters must not
 * mutate them.
 */
export type LongDocumentWindowsV1Options = {
  /** The query the windows must fit beside; core guarantees it is not blank. */
  query: string;
  /** The documents' texts, in call order. */
  texts: string[];
  /**
   * About how many tokens neighbouring windows of one text share, in whole words; an integer ≥ 0
   * below the window size. The stage's default when absent (core's `resolveWindowOverlap`).
   */
  overlap?: number;
  /** The most document tokens of one window, below the stage's own limit; an integer ≥ 1. */
  maxWindowTokens?: number;
  /** Cancels the planning; the stage rejects with an `AbortedError`. */
  abortSignal?: AbortSignal;
};

/** What `planLongDocumentWindows` returns. */
export type LongDocumentWindowsV1Result = {
  /**
   * One list of spans per text, in text order, each list non-empty with strictly increasing
   * starts and ends. A text that fits beside the query whole is `[{ start: 0, end: text.length }]`;
   * each span of a longer one fits beside the query without truncation.
   */
  windows: TextSpanV1[][];
  warnings?: WarningV1[];
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
  /**
   * Optional: the most tokens one (query, document) input holds, special tokens included. Core's
   * `longDocuments: { strategy: 'chunk-max' }` windows documents for a stage without
   * {@link RerankStageV1.planLongDocumentWindows} by a characters-per-token estimate of it.
   */
  readonly maxInputTokens?: number | undefined;
  /**
   * Optional: splits texts longer than the model's input (beside the query) into overlapping
   * windows, with the stage's own tokenizer, for `longDocuments: { strategy: 'chunk-max' }`.
   * Core scores each window as a document and keeps each document's best window. A stage that
   * cannot tokenize leaves it out; core then windows by characters.
   */
  planLongDocumentWindows?(
    options: LongDocumentWindowsV1Options,
  ): PromiseLike<LongDocumentWindowsV1Result>;
  /** Scores the documents against the query. */
  doRerank(options: RerankStageV1CallOptions): PromiseLike<RerankStageV1Result>;
};
