import { rerank } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { cohere } from '../src/index.js';

/**
 * Against the live Cohere API; runs only when COHERE_API_KEY is set (it costs search units).
 * `pnpm vitest run packages/provider-cohere/test/cohere.int.test.ts`
 */
describe.skipIf(!process.env.COHERE_API_KEY)('Cohere live API', () => {
  test('rerank-v3.5 puts the passage that answers first, with billed units and a request id', async () => {
    const result = await rerank({
      model: cohere.reranker('rerank-v3.5'),
      query: 'What is the early repayment fee on a home loan?',
      documents: [
        'Branches are open from 8 am to 5 pm on weekdays.',
        'Repaying a home loan early costs a fee of 2% of the outstanding principal.',
        'Lost cards must be reported at once through the app.',
      ],
      topN: 2,
    });
    expect(result.ranking[0]?.index).toBe(1);
    expect(result.ranking[0]?.score).toBeGreaterThan(result.ranking[1]?.score ?? 1);
    expect(result.usage.searchUnits).toBeGreaterThanOrEqual(1);
    expect(result.responses[0]?.id).toMatch(/\S/);
  }, 30_000);

  test('rerank-multilingual-v3.0 understands Vietnamese', async () => {
    const result = await cohere.reranker('rerank-multilingual-v3.0').doRerank({
      query: 'Phí trả nợ trước hạn khoản vay mua nhà là bao nhiêu?',
      documents: {
        type: 'text',
        values: [
          'Chi nhánh mở cửa từ 8 giờ sáng đến 5 giờ chiều.',
          'Trả nợ trước hạn khoản vay mua nhà chịu phí 2% dư nợ gốc.',
        ],
      },
    });
    expect(result.ranking[0]?.index).toBe(1);
  }, 30_000);

  test('embed-multilingual-v3.0 returns 1024-dimension float vectors', async () => {
    const model = cohere.embeddingModel('embed-multilingual-v3.0');
    const result = await model.doEmbed({ values: ['home loan fee'], inputType: 'query' });
    expect(result.embeddings[0]?.length).toBe(1024);
  }, 30_000);
});
