import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression';
import { Document } from '@langchain/core/documents';
import { ApiCallError, InvalidArgumentError, type TwoStageResult } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import {
  fromLangChainRetriever,
  TwostageDocumentCompressor,
  TwostageRetriever,
} from '../src/index.js';
import { buildMemoryStore, type StoredDocument } from './helpers/build-memory-store.js';

const policies: StoredDocument[] = [
  {
    id: 'hours',
    text: 'Branches open at 8 am on weekdays; the fee desk closes at noon.',
    metadata: { topic: 'service' },
  },
  {
    id: 'card',
    text: 'A lost card is blocked at once; call the hotline.',
    metadata: { topic: 'card' },
  },
  {
    id: 'fee',
    text: 'Repaying a home loan early costs an early repayment fee of 2%.',
    metadata: { topic: 'loan', tags: ['loan', 'fees'] },
  },
  {
    id: 'wire',
    text: 'Wire transfers abroad take three days; a fee applies.',
    metadata: { topic: 'transfer' },
  },
];

/** The reranker's verdict per text, unlike stage 1's word overlap. */
const rerankScores = new Map([
  ['fee', 0.95],
  ['wire', 0.6],
  ['hours', 0.2],
  ['card', 0.05],
]);
const scoreByText = (text: string) =>
  rerankScores.get(policies.find((policy) => policy.text === text)?.id ?? '') ?? 0;

const question = 'What is the early repayment fee on a home loan?';

describe('TwostageRetriever', () => {
  test('invoke() runs the pipeline over a LangChain store: Documents with scores and stage info', async () => {
    const results: TwoStageResult[] = [];
    const retriever = new TwostageRetriever({
      retriever: fromLangChainRetriever(await buildMemoryStore(policies), { name: 'policies' }),
      reranker: new MockRerankStage({ score: scoreByText }),
      retrieveTopK: 4,
      rerankTopN: 2,
      onResult: (result) => results.push(result),
    });
    const documents = await retriever.invoke(question);
    expect(documents.every((document) => document instanceof Document)).toBe(true);
    expect(documents.map((document) => [document.id, document.pageContent])).toEqual([
      ['fee', policies[2]?.text],
      ['wire', policies[3]?.text],
    ]);
    const [first] = documents;
    expect(first?.metadata.topic).toBe('loan');
    expect(first?.metadata.tags).toEqual(['loan', 'fees']);
    expect(first?.metadata.relevanceScore).toBe(0.95);
    const info = first?.metadata.twostage as {
      rerankScore: number;
      retrieveRank: number;
      retrieveScore: number;
      servedBy: unknown;
    };
    expect(info.rerankScore).toBe(0.95);
    expect(info.servedBy).toEqual({
      retriever: 'langchain:policies',
      reranker: 'mock:mock-reranker',
    });
    const stageOne = results[0]?.results.find((item) => item.id === 'fee');
    expect([info.retrieveRank, info.retrieveScore]).toEqual([
      stageOne?.retrieveRank,
      stageOne?.retrieveScore,
    ]);
    expect(results.map((result) => result.degraded)).toEqual([false]);
    // The metadata is a copy: changing it leaves the next query's documents alone.
    (first?.metadata.tags as string[] | undefined)?.push('changed');
    const again = await retriever.invoke(question);
    expect(again[0]?.metadata.tags).toEqual(['loan', 'fees']);
  });

  test('a degraded result gives stage-1 order and no relevanceScore', async () => {
    const failing = new MockRerankStage({
      faults: [
        { call: 1, error: new ApiCallError({ message: 'down', url: 'mock://', statusCode: 400 }) },
      ],
    });
    const retriever = new TwostageRetriever({
      retriever: fromLangChainRetriever(await buildMemoryStore(policies)),
      reranker: failing,
      retrieveTopK: 4,
      rerankTopN: 2,
      onRerankError: 'fallback',
    });
    const documents = await retriever.invoke(question);
    expect(documents).toHaveLength(2);
    expect(documents.map((document) => document.metadata.relevanceScore)).toEqual([
      undefined,
      undefined,
    ]);
    expect(
      documents.map(
        (document) => (document.metadata.twostage as { rerankScore: unknown }).rerankScore,
      ),
    ).toEqual([null, null]);
  });

  test('works as the base of a ContextualCompressionRetriever', async () => {
    const compression = new ContextualCompressionRetriever({
      baseRetriever: new TwostageRetriever({
        retriever: fromLangChainRetriever(await buildMemoryStore(policies)),
        reranker: new MockRerankStage({ score: scoreByText }),
        retrieveTopK: 4,
        rerankTopN: 3,
      }),
      baseCompressor: new TwostageDocumentCompressor({ reranker: new MockRerankStage(), topN: 1 }),
    });
    const [best] = await compression.invoke('early repayment fee');
    expect(best?.id).toBe('fee');
  });

  test('bad options are InvalidArgumentErrors, as is a blank query', async () => {
    const retriever = fromLangChainRetriever(await buildMemoryStore(policies));
    const reranker = new MockRerankStage();
    expect(() => new TwostageRetriever(null as never)).toThrow(InvalidArgumentError);
    expect(() => new TwostageRetriever({ retriever, reranker, rerankTopn: 2 } as never)).toThrow(
      /rerankTopN/,
    );
    expect(() => new TwostageRetriever({ retriever, reranker, onResult: 'x' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new TwostageRetriever({ retriever, reranker, langchain: 3 as never })).toThrow(
      InvalidArgumentError,
    );
    await expect(new TwostageRetriever({ retriever, reranker }).invoke('  ')).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});
