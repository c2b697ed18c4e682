/**
 * What a retrieve stage can do, so that the suite registers only the checks that apply. A check
 * whose capability is off is not registered at all (it neither runs nor shows as skipped).
 */
export type RetrieveStageCapabilities = {
  /**
   * The stage applies metadata filters in Pinecone's language (`$eq`, `$in`, `$gte`, `$lt`,
   * `$and`, `$or`, implicit AND, list fields matching any element).
   * @default true
   */
  filters: boolean;
  /**
   * The stage keeps namespaces apart. The factory must then store each corpus document in its
   * `namespace` (the default partition when absent).
   * @default false
   */
  namespaces: boolean;
  /**
   * Candidates carry their metadata exactly as stored.
   * @default true
   */
  metadata: boolean;
  /**
   * The same call twice gives the same candidates and scores (within `scoreTolerance`).
   * @default true
   */
  deterministic: boolean;
  /** How far two scores of the same candidate may differ and still count as equal. @default 1e-6 */
  scoreTolerance: number;
  /**
   * The stage finds documents by their words: an exact phrase finds its document, a Vietnamese
   * query its Vietnamese document, in the top 3. Off for retrievers on random-weight models.
   * @default true
   */
  lexicalRelevance: boolean;
  /**
   * The stage finds documents by meaning: a paraphrase sharing no word with a document finds it
   * in the top 3. Only retrievers on real embedding models have it.
   * @default false
   */
  semanticRelevance: boolean;
  /**
   * A query in NFD form finds a document stored in NFC form (the stage normalises Unicode).
   * @default false
   */
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
export const defaultRetrieveStageCapabilities: RetrieveStageCapabilities = {
  filters: true,
  namespaces: false,
  metadata: true,
  deterministic: true,
  scoreTolerance: 1e-6,
  lexicalRelevance: true,
  semanticRelevance: false,
  unicodeNormalization: false,
  abortMidFlight: true,
  timeoutMs: undefined,
};
