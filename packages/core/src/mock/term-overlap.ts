import { termTokens } from './term-tokens.js';

/**
 * Scores how well a document covers a query: the share of the query's distinct tokens that occur
 * in the document, in [0, 1]. A query without tokens scores 0 against everything.
 *
 * Deliberately simple and deterministic: the mocks need a real (if crude) notion of relevance so
 * that relevance checks mean something, not a model.
 */
export function termOverlapScore(queryTokens: ReadonlySet<string>, documentText: string): number {
  if (queryTokens.size === 0) return 0;
  const documentTokens = new Set(termTokens(documentText));
  let matched = 0;
  for (const token of queryTokens) if (documentTokens.has(token)) matched += 1;
  return matched / queryTokens.size;
}
