/** A rerank request, whichever route it came from, checked and normalised. */
export type ParsedRerankRequest = {
  query: string;
  /** The texts to score, in request order. */
  documents: string[];
  /** The documents as sent (v1 objects), returned as given when `returnDocuments` is set. */
  originals: unknown[];
  /** Results to return; all when undefined. */
  topN: number | undefined;
  /** Cut (true) or refuse (false) documents past the token limit. */
  truncate: boolean;
  /** The request's own token cap per document (Cohere `max_tokens_per_doc`). */
  maxTokensPerDocument: number | undefined;
  returnDocuments: boolean;
  /** TEI `raw_scores`: logits instead of sigmoid scores. */
  rawScores: boolean;
};
