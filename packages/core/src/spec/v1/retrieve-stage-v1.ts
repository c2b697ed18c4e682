import type {
  CallOptionsV1,
  DocumentMetadata,
  MetadataFilter,
  ResponseMetadataV1,
  WarningV1,
} from './shared-v1.js';

/** Options of one `doRetrieve` call. Adapters must not mutate them. */
export type RetrieveStageV1CallOptions = CallOptionsV1 & {
  /** The query; core guarantees it is not blank. */
  query: string;
  /** How many candidates to return at most; core guarantees an integer ≥ 1. */
  topK: number;
  /** A metadata filter in Pinecone's language; see {@link MetadataFilter}. */
  filter?: MetadataFilter;
  /** A partition of the index; the default partition when absent. */
  namespace?: string;
};

/** One stage-1 candidate. */
export type RetrievedCandidateV1 = {
  /** The document's id, unique within its namespace. */
  id: string;
  /** The text that stage 2 will score. */
  text: string;
  /** The retriever's own score (BM25, cosine, fused rank...); higher is better. */
  score: number;
  metadata?: DocumentMetadata;
};

/** What one `doRetrieve` call returns. */
export type RetrieveStageV1Result = {
  /** Sorted by score descending; ids unique; at most `topK`. */
  candidates: RetrievedCandidateV1[];
  /**
   * `provider:modelId` of the stage that really answered, when it is not this stage (a fallback
   * chain says which of its stages did).
   */
  servedBy?: string;
  warnings?: WarningV1[];
  response?: ResponseMetadataV1;
};

/**
 * Stage 1: a fast, recall-oriented search (vector, lexical or hybrid) that casts a wide net.
 */
export type RetrieveStageV1 = {
  readonly specificationVersion: 'v1';
  /** Provider name, as used in a `provider:model` reference (`pinecone`, `bm25`, `memory`, ...). */
  readonly provider: string;
  /** What is searched: an index name, or a description of the embedded index. */
  readonly modelId: string;
  /** The largest `topK` the backend accepts; unlimited when undefined. */
  readonly maxTopK?: number | undefined;
  /** Finds the candidates most likely to answer the query. */
  doRetrieve(options: RetrieveStageV1CallOptions): PromiseLike<RetrieveStageV1Result>;
};
