/**
 * The parts of Cohere's v2 responses this package reads, as they are on the wire (snake_case).
 * @see https://docs.cohere.com/reference/rerank
 * @see https://docs.cohere.com/reference/embed
 */

/** The `meta` of every response. */
export type CohereApiMeta = {
  api_version?: { version?: string; is_deprecated?: boolean };
  billed_units?: { search_units?: number; input_tokens?: number };
  warnings?: string[];
};

/** The body of `POST /v2/rerank`. */
export type CohereRerankResponse = {
  id?: string;
  results: { index: number; relevance_score: number }[];
  meta?: CohereApiMeta;
};

/** The body of `POST /v2/embed` with `embedding_types: ['float']`. */
export type CohereEmbedResponse = {
  id?: string;
  embeddings: { float: number[][] };
  meta?: CohereApiMeta;
};
