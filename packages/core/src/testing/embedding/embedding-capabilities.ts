/**
 * What an embedding model can do, so that the suite registers only the checks that apply. A
 * check whose capability is off is not registered at all (it neither runs nor shows as skipped).
 */
export type EmbeddingModelCapabilities = {
  /**
   * The same text gives the same vector (within `vectorTolerance`) across calls, batch
   * positions and batch compositions.
   * @default true
   */
  deterministic: boolean;
  /** How far two components of the same text's vector may differ and still count as equal. @default 1e-5 */
  vectorTolerance: number;
  /** Every vector has unit L2 norm (within 1e-3). @default false */
  normalized: boolean;
  /**
   * The most values the suite sends in one call (keeps hosted and CPU models cheap); the batch
   * check sends `min(maxEmbeddingsPerCall, maxTestedEmbeddings)` values.
   * @default 96
   */
  maxTestedEmbeddings: number;
  /**
   * Texts sharing words are closer (cosine) than unrelated texts, in English and Vietnamese.
   * Off for models with random weights.
   * @default true
   */
  lexicalSimilarity: boolean;
  /**
   * A paraphrase sharing no word is closer than an unrelated text. Only real neural models.
   * @default false
   */
  semanticSimilarity: boolean;
  /** NFC and NFD spellings of a text get the same vector. @default false */
  unicodeNormalization: boolean;
  /**
   * Aborting a call in flight (right after it started) makes it reject with an `AbortedError`,
   * and it leaves no timer running.
   * @default true
   */
  abortMidFlight: boolean;
  /** Per-test timeout in milliseconds; the framework's default when undefined. @default undefined */
  timeoutMs: number | undefined;
};

/** The capabilities assumed for anything the caller did not set. */
export const defaultEmbeddingModelCapabilities: EmbeddingModelCapabilities = {
  deterministic: true,
  vectorTolerance: 1e-5,
  normalized: false,
  maxTestedEmbeddings: 96,
  lexicalSimilarity: true,
  semanticSimilarity: false,
  unicodeNormalization: false,
  abortMidFlight: true,
  timeoutMs: undefined,
};
