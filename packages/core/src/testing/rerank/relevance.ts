import * as assert from 'node:assert/strict';
import type { RerankStageV1 } from '../../spec/v1/index.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import { vietnameseNfc } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { policyDocuments, policyQuery, relevantPolicyIndex } from './rerank-fixtures.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

/** Sanity of a real relevance model: the document that answers the query ranks first. */
export function registerRelevanceTests({ test, factory, capabilities }: RerankSuiteContext): void {
  if (capabilities.lexicalRelevance) {
    registerTest(
      test,
      'rerank stage: the document containing the query words ranks first (English)',
      async () => {
        await expectFirst(await factory(), policyQuery, [...policyDocuments], relevantPolicyIndex);
      },
      capabilities.timeoutMs,
    );
    registerTest(
      test,
      'rerank stage: the document containing the query words ranks first (Vietnamese)',
      async () => {
        const values = [
          'Chi nhánh mở cửa từ 8 giờ sáng đến 5 giờ chiều các ngày trong tuần.',
          'Thẻ bị mất phải được báo ngay qua ứng dụng hoặc đường dây nóng.',
          vietnameseNfc,
          'Chuyển tiền ra nước ngoài mất từ một đến ba ngày làm việc.',
        ];
        await expectFirst(
          await factory(),
          'Lãi suất tiết kiệm kỳ hạn 12 tháng là bao nhiêu?',
          values,
          2,
        );
      },
      capabilities.timeoutMs,
    );
  }
  if (capabilities.semanticRelevance) {
    registerTest(
      test,
      'rerank stage: a paraphrase sharing no word with the query outranks unrelated documents',
      async () => {
        const values = [
          'Branches are open from 8 am to 5 pm on weekdays.',
          'Settling a mortgage ahead of schedule incurs a 2% penalty on the outstanding principal.',
          'Mobile banking supports fingerprint login on recent phones.',
        ];
        await expectFirst(
          await factory(),
          'How much does it cost to pay off my house loan early?',
          values,
          1,
        );
      },
      capabilities.timeoutMs,
    );
  }
}

async function expectFirst(
  stage: RerankStageV1,
  query: string,
  values: string[],
  expectedIndex: number,
): Promise<void> {
  const result = await stage.doRerank({
    query,
    documents: { type: 'text', values: fitDocuments(stage, values) },
  });
  const first = result.ranking[0];
  assert.ok(first !== undefined, 'the ranking is empty');
  assert.equal(
    first.index,
    expectedIndex,
    `expected document ${expectedIndex} first for '${query}', got ${first.index} (ranking ${JSON.stringify(result.ranking)})`,
  );
  const runnerUp = result.ranking[1];
  if (runnerUp !== undefined) {
    assert.ok(
      first.score > runnerUp.score,
      `the relevant document must score strictly higher than the next (${first.score} vs ${runnerUp.score})`,
    );
  }
}
