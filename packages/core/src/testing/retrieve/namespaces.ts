import * as assert from 'node:assert/strict';
import type { ConformanceDocument } from '../conformance-document.js';
import { sortedIds } from '../helpers/assert-candidates.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** The default partition holds the corpus; two namespaces hold copies, one id in both. */
function namespacedCorpus(): ConformanceDocument[] {
  const text = (id: string) => retrieveCorpus.find((document) => document.id === id)?.text ?? '';
  return [
    ...copyCorpus(),
    {
      id: 'shared-id',
      text: text('fee-early-repayment'),
      metadata: { category: 'loan' },
      namespace: 'conformance-a',
    },
    {
      id: 'only-in-a',
      text: text('card-lost'),
      metadata: { category: 'card' },
      namespace: 'conformance-a',
    },
    {
      id: 'shared-id',
      text: text('vi-savings-rate'),
      metadata: { category: 'savings' },
      namespace: 'conformance-b',
    },
  ];
}

/** Namespaces are isolated: a query sees its own partition only. */
export function registerNamespaceTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  if (!capabilities.namespaces) return;
  const topK = retrieveCorpus.length + 3;

  registerTest(
    test,
    'retrieve stage: a namespace returns only its own documents',
    async () => {
      const stage = await factory(namespacedCorpus());
      const inA = await stage.doRetrieve({
        query: matchEveryDocumentQuery,
        topK,
        namespace: 'conformance-a',
      });
      assert.deepEqual(
        sortedIds(inA.candidates),
        ['only-in-a', 'shared-id'],
        "ids in namespace 'conformance-a'",
      );
      const inB = await stage.doRetrieve({
        query: matchEveryDocumentQuery,
        topK,
        namespace: 'conformance-b',
      });
      assert.deepEqual(
        sortedIds(inB.candidates),
        ['shared-id'],
        "ids in namespace 'conformance-b'",
      );
      assert.equal(
        inB.candidates[0]?.text,
        retrieveCorpus.find((document) => document.id === 'vi-savings-rate')?.text,
        "'shared-id' in 'conformance-b' must be that namespace's document",
      );
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'retrieve stage: without a namespace only the default partition is searched',
    async () => {
      const stage = await factory(namespacedCorpus());
      const result = await stage.doRetrieve({ query: matchEveryDocumentQuery, topK });
      assert.deepEqual(
        sortedIds(result.candidates),
        sortedIds(retrieveCorpus),
        'ids in the default partition',
      );
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'retrieve stage: a namespace without documents returns nothing',
    async () => {
      const stage = await factory(namespacedCorpus());
      const result = await stage.doRetrieve({
        query: matchEveryDocumentQuery,
        topK,
        namespace: 'conformance-empty',
      });
      assert.deepEqual(result.candidates, []);
    },
    capabilities.timeoutMs,
  );
}
