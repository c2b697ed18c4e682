import { randomUUID } from 'node:crypto';
import { lexicalShare, words } from '@twostage/testkit';
import { type Answer, badRequest, unknownModel } from './emulator-answer.js';

/** Rerank models the emulator knows (others get Cohere's 404). */
const rerankModels = new Set([
  'rerank-v5.0-pro',
  'rerank-v5.0-fast',
  'rerank-v4.0-pro',
  'rerank-v4.0-fast',
  'rerank-v3.5',
  'rerank-multilingual-v3.0',
  'rerank-english-v3.0',
]);

/** A `/v2/rerank` body, as the API description requires it. */
export type RerankBody = {
  model: string;
  query: string;
  documents: string[];
  top_n?: number;
  max_tokens_per_doc?: number;
  priority?: number;
};

/** Answers a valid `/v2/rerank` request as the service does. */
export function answerRerank(body: RerankBody): Answer {
  if (!rerankModels.has(body.model)) return unknownModel(body.model);
  if (body.query.trim() === '') {
    return badRequest('query must not be empty or be only whitespace');
  }
  if (body.documents.length === 0) return badRequest('list of documents must not be empty');
  // The service's own limit; it recommends at most 1,000.
  if (body.documents.length > 10_000) {
    return badRequest('number of documents must not exceed 10000');
  }
  const emptyIndex = body.documents.findIndex((document) => document.trim() === '');
  if (emptyIndex !== -1) return badRequest(`document at index ${emptyIndex} cannot be empty`);

  // Words past max_tokens_per_doc are cut, as the service truncates long documents.
  const maxWords = body.max_tokens_per_doc ?? 4096;
  const truncated = body.documents.map((document) => words(document).slice(0, maxWords));
  const scored = truncated.map((documentWords, index) => ({
    index,
    relevance_score: lexicalShare(body.query, documentWords.join(' ')),
  }));
  scored.sort(
    (left, right) => right.relevance_score - left.relevance_score || left.index - right.index,
  );
  const results = body.top_n === undefined ? scored : scored.slice(0, body.top_n);
  return {
    status: 200,
    body: {
      id: randomUUID(),
      results,
      meta: {
        api_version: { version: '2' },
        billed_units: { search_units: searchUnits(words(body.query).length, truncated) },
      },
    },
  };
}

/**
 * Cohere's billing rule (its pricing FAQ): a search unit is one query with up to 100 documents,
 * and a document longer than 500 tokens, the query's tokens included, is split into chunks (each
 * holding the query and a part of the document) that each count as a document. The emulator
 * counts words as tokens, after the `max_tokens_per_doc` truncation.
 */
export function searchUnits(queryTokens: number, documents: readonly string[][]): number {
  const documentTokensPerChunk = Math.max(1, 500 - queryTokens);
  let chunks = 0;
  for (const documentWords of documents) {
    chunks += Math.max(1, Math.ceil(documentWords.length / documentTokensPerChunk));
  }
  return Math.ceil(chunks / 100);
}
