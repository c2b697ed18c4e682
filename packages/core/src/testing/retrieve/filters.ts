import * as assert from 'node:assert/strict';
import type { MetadataFilter } from '../../spec/v1/index.js';
import { assertValidCandidates, sortedIds } from '../helpers/assert-candidates.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** Filters in Pinecone's language and the ids of {@link retrieveCorpus} each one must return. */
const filterCases: { name: string; filter: MetadataFilter; expectedIds: string[] }[] = [
  {
    name: 'a bare value means $eq',
    filter: { category: 'loan' },
    expectedIds: ['fee-early-repayment', 'loan-rate-fixed'],
  },
  {
    name: '$eq',
    filter: { category: { $eq: 'card' } },
    expectedIds: ['card-annual-fee', 'card-lost', 'vi-card-fee'],
  },
  {
    name: '$in',
    filter: { category: { $in: ['savings', 'transfer'] } },
    expectedIds: ['savings-interest', 'vi-savings-rate', 'wire-abroad'],
  },
  {
    name: '$gte on a number',
    filter: { year: { $gte: 2024 } },
    expectedIds: ['card-lost', 'vi-savings-rate', 'wire-abroad'],
  },
  {
    name: '$lt on a number',
    filter: { year: { $lt: 2022 } },
    expectedIds: ['branch-hours', 'fee-early-repayment', 'savings-interest'],
  },
  {
    name: 'two operators on one field are ANDed',
    filter: { year: { $gte: 2021, $lte: 2022 } },
    expectedIds: ['card-annual-fee', 'fee-early-repayment', 'savings-interest', 'vi-branch-hours'],
  },
  {
    name: 'fields side by side are ANDed',
    filter: { category: 'card', year: { $gte: 2023 } },
    expectedIds: ['card-lost', 'vi-card-fee'],
  },
  {
    name: '$and',
    filter: { $and: [{ category: 'card' }, { language: 'vi' }] },
    expectedIds: ['vi-card-fee'],
  },
  {
    name: '$or',
    filter: { $or: [{ category: 'loan' }, { year: { $gte: 2024 } }] },
    expectedIds: [
      'card-lost',
      'fee-early-repayment',
      'loan-rate-fixed',
      'vi-savings-rate',
      'wire-abroad',
    ],
  },
  {
    name: 'a list field matches when any element does',
    filter: { tags: 'fees' },
    expectedIds: ['card-annual-fee', 'fee-early-repayment', 'vi-card-fee', 'wire-abroad'],
  },
  {
    name: '$in on a list field',
    filter: { tags: { $in: ['security', 'international'] } },
    expectedIds: ['card-lost', 'wire-abroad'],
  },
  { name: 'a value no document has', filter: { category: 'insurance' }, expectedIds: [] },
];

/** Filters select exactly the matching documents. */
export function registerFilterTests({ test, factory, capabilities }: RetrieveSuiteContext): void {
  if (!capabilities.filters) return;
  for (const { name, filter, expectedIds } of filterCases) {
    registerTest(
      test,
      `retrieve stage: filter ${name} returns exactly the matching documents`,
      async () => {
        const stage = await factory(copyCorpus());
        const topK = retrieveCorpus.length;
        const result = await stage.doRetrieve({ query: matchEveryDocumentQuery, topK, filter });
        assertValidCandidates(result.candidates, {
          corpus: retrieveCorpus,
          topK,
          what: `filter ${JSON.stringify(filter)}`,
        });
        assert.deepEqual(
          sortedIds(result.candidates),
          [...expectedIds].sort(),
          `ids for filter ${JSON.stringify(filter)}`,
        );
      },
      capabilities.timeoutMs,
    );
  }

  registerTest(
    test,
    'retrieve stage: a filter with topK 1 returns the best matching document only',
    async () => {
      const stage = await factory(copyCorpus());
      const result = await stage.doRetrieve({
        query: 'annual fee',
        topK: 1,
        filter: { language: 'en' },
      });
      assertValidCandidates(result.candidates, {
        corpus: retrieveCorpus,
        topK: 1,
        what: 'filtered topK 1',
      });
      const english = new Set(
        retrieveCorpus
          .filter((document) => document.metadata?.language === 'en')
          .map((document) => document.id),
      );
      for (const candidate of result.candidates) {
        assert.ok(english.has(candidate.id), `'${candidate.id}' does not match the filter`);
      }
    },
    capabilities.timeoutMs,
  );
}
