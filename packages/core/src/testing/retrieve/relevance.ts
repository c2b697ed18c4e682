import * as assert from 'node:assert/strict';
import type { RetrieveStageV1 } from '../../spec/v1/index.js';
import { vietnameseQuery } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { copyCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** The document a query is about comes back among the top 3. */
export function registerRetrieveRelevanceTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  const cases: { name: string; query: string; expectedId: string }[] = [];
  if (capabilities.lexicalRelevance) {
    cases.push(
      {
        name: 'an exact phrase finds its document',
        query: 'costs an early repayment fee of 2% of the outstanding principal',
        expectedId: 'fee-early-repayment',
      },
      {
        name: 'a Vietnamese query finds the Vietnamese document',
        query: vietnameseQuery,
        expectedId: 'vi-savings-rate',
      },
      {
        name: 'a Vietnamese card-fee query finds its document',
        query: 'phí thường niên thẻ tín dụng',
        expectedId: 'vi-card-fee',
      },
    );
  }
  if (capabilities.unicodeNormalization) {
    cases.push({
      name: 'a query in NFD form finds the document stored in NFC form',
      query: vietnameseQuery.normalize('NFD'),
      expectedId: 'vi-savings-rate',
    });
  }
  if (capabilities.semanticRelevance) {
    cases.push({
      name: 'a paraphrase sharing no word finds its document',
      query: 'What penalty applies when settling my house mortgage before maturity?',
      expectedId: 'fee-early-repayment',
    });
  }
  for (const { name, query, expectedId } of cases) {
    registerTest(
      test,
      `retrieve stage: ${name} in the top 3`,
      async () => {
        await expectInTopThree(await factory(copyCorpus()), query, expectedId);
      },
      capabilities.timeoutMs,
    );
  }
}

async function expectInTopThree(
  stage: RetrieveStageV1,
  query: string,
  expectedId: string,
): Promise<void> {
  const result = await stage.doRetrieve({ query, topK: 3 });
  const ids = result.candidates.map((candidate) => candidate.id);
  assert.ok(
    ids.includes(expectedId),
    `expected '${expectedId}' in the top 3 for '${query}', got [${ids.join(', ')}]`,
  );
}
