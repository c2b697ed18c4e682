import type { ScoreKindV1 } from '../../spec/v1/index.js';

/**
 * What a rerank stage can do, so that the suite registers only the checks that apply. A check
 * whose capability is off is not registered at all (it neither runs nor shows as skipped).
 */
export type RerankStageCapabilities = {
  /**
   * The stage accepts `{ type: 'object' }` documents (it may warn that its rendering is lossy).
   * @default true
   */
  objectDocuments: boolean;
  /**
   * The same call twice gives the same ranking and scores (within `scoreTolerance`), identical
   * documents in one call get identical scores, and a document's score depends neither on its
   * position nor on the other documents of the call (core merges windows by score).
   * @default true
   */
  deterministic: boolean;
  /**
   * The score kind the stage must declare; any valid kind when undefined.
   * @default undefined
   */
  scoreKind: ScoreKindV1 | undefined;
  /**
   * Scores lie in the range of the declared `scoreKind`: [0, 1] for 'probability', [-1, 1] for
   * 'similarity', any finite number for 'logit'.
   * @default true
   */
  scoreRange: boolean;
  /**
   * How far two scores of the same (query, document) pair may differ and still count as equal,
   * across repeated calls and across calls that batch it with other documents (batched GPU
   * inference is not bit-exact: a hosted model may need 1e-4 or so).
   * @default 1e-6
   */
  scoreTolerance: number;
  /**
   * The most documents the suite sends in one `rerank()` call (keeps hosted and CPU stages
   * cheap). Windowing checks need it above the stage's `maxDocumentsPerCall`.
   * @default 60
   */
  maxTestedDocuments: number;
  /** The longest document the suite sends, in characters. @default 20000 */
  longDocumentLength: number;
  /**
   * Aborting a call in flight (right after it started) makes it reject with an `AbortedError`,
   * and it leaves no timer running.
   * @default true
   */
  abortMidFlight: boolean;
  /**
   * NFC and NFD spellings of the same text get the same score (the stage normalises Unicode).
   * @default false
   */
  unicodeNormalization: boolean;
  /**
   * The stage is a real relevance model at the word level: a document that contains the query's
   * words outranks unrelated ones, in English and in Vietnamese. Off for models with random
   * weights.
   * @default true
   */
  lexicalRelevance: boolean;
  /**
   * The stage understands meaning: a paraphrase sharing no word with the query outranks an
   * unrelated document. Only real neural models have it.
   * @default false
   */
  semanticRelevance: boolean;
  /** Per-test timeout in milliseconds; the framework's default when undefined. @default undefined */
  timeoutMs: number | undefined;
};

/** The capabilities assumed for anything the caller did not set. */
export const defaultRerankStageCapabilities: RerankStageCapabilities = {
  objectDocuments: true,
  deterministic: true,
  scoreKind: undefined,
  scoreRange: true,
  scoreTolerance: 1e-6,
  maxTestedDocuments: 60,
  longDocumentLength: 20_000,
  abortMidFlight: true,
  unicodeNormalization: false,
  lexicalRelevance: true,
  semanticRelevance: false,
  timeoutMs: undefined,
};
