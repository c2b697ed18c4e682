import * as assert from 'node:assert/strict';
import type { EmbeddingModelV1 } from '../../spec/v1/index.js';
import { cosineSimilarity } from '../helpers/assert-vectors.js';
import { vietnameseNfc, vietnameseQuery } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** A query is closer to the text about it than to an unrelated one. */
export function registerSimilarityTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  const cases: { name: string; query: string; related: string; unrelated: string }[] = [];
  if (capabilities.lexicalSimilarity) {
    cases.push(
      {
        name: 'a text sharing the query words (English)',
        query: 'early repayment fee on a home loan',
        related: 'Repaying a home loan early costs an early repayment fee of 2%.',
        unrelated: 'Branches are open from 8 am to 5 pm on weekdays.',
      },
      {
        name: 'a text sharing the query words (Vietnamese)',
        query: vietnameseQuery,
        related: vietnameseNfc,
        unrelated: 'Chi nhánh mở cửa từ 8 giờ sáng đến 5 giờ chiều các ngày trong tuần.',
      },
    );
  }
  if (capabilities.semanticSimilarity) {
    cases.push({
      name: 'a paraphrase sharing no word with the query',
      query: 'What penalty applies when settling my house mortgage before maturity?',
      related:
        'Repaying a home loan early costs an early repayment fee of 2% of the outstanding principal.',
      unrelated: 'Mobile banking supports fingerprint login on recent phones.',
    });
  }
  for (const { name, query, related, unrelated } of cases) {
    registerTest(
      test,
      `embedding model: a query is closer to ${name} than to an unrelated text`,
      async () => {
        await expectCloser(await factory(), query, related, unrelated);
      },
      capabilities.timeoutMs,
    );
  }
}

async function expectCloser(
  model: EmbeddingModelV1,
  query: string,
  related: string,
  unrelated: string,
): Promise<void> {
  const [queryResult, documentResult] = await Promise.all([
    model.doEmbed({ values: [query], inputType: 'query' }),
    model.doEmbed({ values: [related, unrelated], inputType: 'document' }),
  ]);
  const [queryVector] = queryResult.embeddings;
  const [relatedVector, unrelatedVector] = documentResult.embeddings;
  if (queryVector === undefined || relatedVector === undefined || unrelatedVector === undefined) {
    throw new Error('missing vector');
  }
  const toRelated = cosineSimilarity(queryVector, relatedVector);
  const toUnrelated = cosineSimilarity(queryVector, unrelatedVector);
  assert.ok(
    toRelated > toUnrelated,
    `cosine to the related text ${toRelated} is not above the unrelated one ${toUnrelated}`,
  );
}
