import { ContextChatEngine } from '@llamaindex/core/chat-engine';
import { Settings } from '@llamaindex/core/global';
import { MockLLM } from '@llamaindex/core/llms/mock';
import { RetrieverQueryEngine } from '@llamaindex/core/query-engine';
import { MetadataMode, type NodeWithScore } from '@llamaindex/core/schema';
import { InvalidArgumentError, type TwoStageResult } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  fromLlamaIndexRetriever,
  TwostageNodePostprocessor,
  TwostageRetriever,
} from '../src/index.js';
import { buildVectorRetriever, type IndexedDocument } from './helpers/build-vector-retriever.js';

const policies: IndexedDocument[] = [
  { id: 'hours', text: 'Branches open at 8 am on weekdays; the fee desk closes at noon.' },
  { id: 'card', text: 'A lost card is blocked at once; call the hotline.' },
  { id: 'fee', text: 'Repaying a home loan early costs an early repayment fee of 2%.' },
  { id: 'wire', text: 'Wire transfers abroad take three days; a fee applies.' },
];

/**
 * The reranker's verdict per text, unlike stage 1's word overlap (which ranks the fee desk's
 * hours high for a fee question): the order that comes out is visibly the reranker's.
 */
const rerankScores = new Map([
  ['fee', 0.95],
  ['wire', 0.6],
  ['hours', 0.2],
  ['card', 0.05],
]);
const scoreByText = (text: string) =>
  rerankScores.get(policies.find((policy) => text.endsWith(policy.text))?.id ?? '') ?? 0;

const question = 'What is the early repayment fee on a home loan?';

beforeEach(() => {
  Settings.llm = new MockLLM({ responseMessage: 'The fee is 2%.' });
});

describe('inside LlamaIndex', () => {
  test('RetrieverQueryEngine over a VectorStoreIndex answers from the nodes the postprocessor re-ranked', async () => {
    const reranker = new MockRerankStage({ score: scoreByText });
    const engine = new RetrieverQueryEngine(await buildVectorRetriever(policies), undefined, [
      new TwostageNodePostprocessor({ reranker, topN: 2 }),
    ]);
    const response = await engine.query({ query: question });
    expect(response.toString()).toBe('The fee is 2%.');
    expect(reranker.calls.map((call) => [call.query, call.documents.values.length])).toEqual([
      [question, 4],
    ]);
    // The reranker decides the order; the vector scores of stage 1 are gone from the result.
    const sources = (response.sourceNodes ?? []).map(({ node, score }: NodeWithScore) => [
      node.id_,
      score,
    ]);
    expect(sources).toEqual([
      ['fee', 0.95],
      ['wire', 0.6],
    ]);
  });

  test('ContextChatEngine builds its context from the nodes the postprocessor kept', async () => {
    const reranker = new MockRerankStage({ score: scoreByText });
    const engine = new ContextChatEngine({
      retriever: await buildVectorRetriever(policies),
      nodePostprocessors: [new TwostageNodePostprocessor({ reranker, topN: 1 })],
    });
    const response = await engine.chat({ message: question });
    expect(response.message.content).toBe('The fee is 2%.');
    expect(reranker.calls.map((call) => call.query)).toEqual([question]);
    expect((response.sourceNodes ?? []).map(({ node, score }) => [node.id_, score])).toEqual([
      ['fee', 0.95],
    ]);
  });

  test('TwostageRetriever runs a twostage pipeline over a LlamaIndex index inside RetrieverQueryEngine', async () => {
    const results: TwoStageResult[] = [];
    const retriever = new TwostageRetriever({
      retriever: fromLlamaIndexRetriever(await buildVectorRetriever(policies), {
        name: 'policies',
      }),
      reranker: new MockRerankStage({ score: scoreByText }),
      retrieveTopK: 4,
      rerankTopN: 2,
      onResult: (result) => results.push(result),
    });
    const response = await new RetrieverQueryEngine(retriever).query({ query: question });
    expect(response.toString()).toBe('The fee is 2%.');
    expect((response.sourceNodes ?? []).map(({ node, score }) => [node.id_, score])).toEqual([
      ['fee', 0.95],
      ['wire', 0.6],
    ]);
    expect(response.sourceNodes?.[0]?.node.getContent(MetadataMode.NONE)).toBe(policies[2]?.text);
    expect(results.map((result) => [result.servedBy, result.degraded])).toEqual([
      [{ retriever: 'llamaindex:policies', reranker: 'mock:mock-reranker' }, false],
    ]);
  });
});

describe('TwostageRetriever', () => {
  test('gives nodes with the ids, texts, copied metadata and rerank scores of the results', async () => {
    const memory = fromLlamaIndexRetriever(
      await buildVectorRetriever([
        { id: 'fee', text: 'early repayment fee', metadata: { tags: ['loan'] } },
        { id: 'card', text: 'lost card' },
      ]),
    );
    const nodes = await new TwostageRetriever({
      retriever: memory,
      reranker: new MockRerankStage(),
    }).retrieve('early repayment fee');
    expect(
      nodes.map(({ node, score }) => [
        node.id_,
        node.getContent(MetadataMode.NONE),
        node.metadata,
        score,
      ]),
    ).toEqual([
      ['fee', 'early repayment fee', { tags: ['loan'] }, 1],
      ['card', 'lost card', {}, 0],
    ]);
  });

  test('a degraded (stage-1 order) result gives nodes without a score', async () => {
    const failing = new MockRerankStage({
      faults: [{ call: 1, error: new Error('model crashed') }],
    });
    const results: TwoStageResult[] = [];
    const nodes = await new TwostageRetriever({
      retriever: fromLlamaIndexRetriever(await buildVectorRetriever(policies)),
      reranker: failing,
      onRerankError: 'fallback',
      rerankTopN: 2,
      onResult: (result) => results.push(result),
    }).retrieve('early repayment fee');
    expect(nodes.map((entry) => [entry.node.id_, 'score' in entry])).toEqual([
      ['fee', false],
      [expect.any(String), false],
    ]);
    expect(results[0]?.degraded).toBe(true);
  });

  test('bad options are InvalidArgumentErrors', async () => {
    const retriever = fromLlamaIndexRetriever(await buildVectorRetriever(policies));
    const reranker = new MockRerankStage();
    const cases: [unknown, RegExp][] = [
      [undefined, /'options'/],
      [{ retriever, reranker, rerank_top_n: 3 }, /'rerank_top_n'.*did you mean 'rerankTopN'/],
      [{ retriever, reranker, rerankTopN: 0 }, /'rerankTopN'/],
      [{ retriever, reranker, onResult: 1 }, /'options.onResult'/],
      [{ reranker }, /'retriever'/],
    ];
    for (const [options, message] of cases) {
      const build = () => new TwostageRetriever(options as never);
      expect(build).toThrow(message);
      expect(build).toThrow(InvalidArgumentError);
    }
  });
});
