import { assertValidCandidates } from '../helpers/assert-candidates.js';
import { cjkText, emojiText, vietnameseQuery } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** Candidates are unique corpus documents, at most topK, sorted by finite score. */
export function registerCandidatesShapeTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  const calls: { name: string; query: string; topK: number }[] = [
    { name: 'topK 1', query: 'early repayment fee', topK: 1 },
    { name: 'topK 3', query: 'credit card annual fee', topK: 3 },
    { name: 'topK above the corpus size', query: matchEveryDocumentQuery, topK: 100 },
    { name: 'a Vietnamese query', query: vietnameseQuery, topK: 5 },
    { name: 'an emoji query', query: emojiText, topK: 5 },
    { name: 'a CJK query', query: cjkText, topK: 5 },
    { name: 'a query matching nothing', query: 'zyxwvut qqqq', topK: 5 },
  ];
  for (const { name, query, topK } of calls) {
    registerTest(
      test,
      `retrieve stage: unique corpus ids with stored text, at most topK, scores sorted (${name})`,
      async () => {
        const stage = await factory(copyCorpus());
        const effectiveTopK = Math.min(topK, stage.maxTopK ?? topK);
        const result = await stage.doRetrieve({ query, topK: effectiveTopK });
        assertValidCandidates(result.candidates, {
          corpus: retrieveCorpus,
          topK: effectiveTopK,
          what: `doRetrieve with ${name}`,
        });
      },
      capabilities.timeoutMs,
    );
  }
}
