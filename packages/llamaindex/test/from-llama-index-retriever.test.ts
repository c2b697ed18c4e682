import { MetadataMode, TextNode } from '@llamaindex/core/schema';
import {
  AbortedError,
  InvalidArgumentError,
  InvalidResponseError,
  retrieve,
  twoStage,
} from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { retrieveStageTests } from '@twostage/core/testing';
import { describe, expect, test } from 'vitest';
import { fromLlamaIndexRetriever } from '../src/index.js';
import { buildVectorRetriever } from './helpers/build-vector-retriever.js';
import { ListRetriever } from './helpers/list-retriever.js';

const loanNode = () =>
  new TextNode({ id_: 'loan', text: 'Early repayment costs 2%.', metadata: { category: 'loan' } });
const cardNode = () =>
  new TextNode({
    id_: 'card',
    text: 'Lost cards: call the hotline.',
    metadata: { category: 'card' },
  });
const hoursNode = () =>
  new TextNode({ id_: 'hours', text: 'Branches open at 8 am.', metadata: { category: 'service' } });

describe('fromLlamaIndexRetriever over a VectorStoreIndex', () => {
  retrieveStageTests(
    test,
    async (corpus) =>
      fromLlamaIndexRetriever(await buildVectorRetriever(corpus), { name: 'conformance' }),
    { filters: true, namespaces: false, lexicalRelevance: true },
  );
});

describe('fromLlamaIndexRetriever', () => {
  test('uses the node ids, texts, metadata and scores, best first, cut to topK', async () => {
    const retriever = new ListRetriever(() => [
      { node: cardNode(), score: 0.2 },
      { node: loanNode(), score: 0.9 },
      { node: hoursNode(), score: 0.5 },
    ]);
    const stage = fromLlamaIndexRetriever(retriever, { name: 'policies' });
    const result = await stage.doRetrieve({ query: 'early repayment', topK: 2 });
    expect(result).toEqual({
      candidates: [
        {
          id: 'loan',
          text: 'Early repayment costs 2%.',
          score: 0.9,
          metadata: { category: 'loan' },
        },
        {
          id: 'hours',
          text: 'Branches open at 8 am.',
          score: 0.5,
          metadata: { category: 'service' },
        },
      ],
    });
    expect(retriever.queries).toEqual([{ query: 'early repayment' }]);
    expect([stage.specificationVersion, stage.provider, stage.modelId, stage.maxTopK]).toEqual([
      'v1',
      'llamaindex',
      'policies',
      undefined,
    ]);
  });

  test('ranks by the retriever order when nodes have no score', async () => {
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => [{ node: cardNode() }, { node: loanNode() }, { node: hoursNode() }]),
    );
    const { candidates, warnings } = await stage.doRetrieve({ query: 'anything', topK: 3 });
    expect(candidates.map(({ id, score }) => [id, score])).toEqual([
      ['card', 1],
      ['loan', 1 / 2],
      ['hours', 1 / 3],
    ]);
    expect(warnings).toBeUndefined();
    expect(stage.modelId).toBe('ListRetriever');
  });

  test('warns when only some nodes have a score, and ranks them all by order', async () => {
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => [{ node: cardNode(), score: 0.1 }, { node: loanNode() }]),
      { name: 'mixed' },
    );
    const { candidates, warnings } = await stage.doRetrieve({ query: 'anything', topK: 2 });
    expect(candidates.map(({ id, score }) => [id, score])).toEqual([
      ['card', 1],
      ['loan', 1 / 2],
    ]);
    expect(warnings).toEqual([
      {
        type: 'other',
        message:
          "mixed: some nodes had no finite score, so the retriever's order was used as the ranking.",
      },
    ]);
  });

  test('keeps the first place of a node returned twice', async () => {
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => [
        { node: loanNode(), score: 0.8 },
        { node: cardNode(), score: 0.6 },
        { node: loanNode(), score: 0.4 },
      ]),
    );
    const { candidates } = await stage.doRetrieve({ query: 'loan', topK: 5 });
    expect(candidates.map(({ id, score }) => [id, score])).toEqual([
      ['loan', 0.8],
      ['card', 0.6],
    ]);
  });

  test('reads the text with the metadataMode given', async () => {
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => [{ node: loanNode(), score: 1 }]),
      {
        metadataMode: MetadataMode.ALL,
      },
    );
    const { candidates } = await stage.doRetrieve({ query: 'loan', topK: 1 });
    expect(candidates[0]?.text).toBe('category: loan\n\nEarly repayment costs 2%.');
  });

  test('leaves out metadata twostage cannot carry, with a warning naming it', async () => {
    const node = new TextNode({
      id_: 'rich',
      text: 'A node with rich metadata.',
      metadata: {
        title: 'Fees',
        pages: 3,
        draft: false,
        tags: ['a'],
        author: { name: 'x' },
        gone: null,
      },
    });
    const stage = fromLlamaIndexRetriever(new ListRetriever(() => [{ node, score: 1 }]), {
      name: 'rich-store',
    });
    const result = await stage.doRetrieve({ query: 'fees', topK: 1 });
    expect(result.candidates[0]?.metadata).toEqual({
      title: 'Fees',
      pages: 3,
      draft: false,
      tags: ['a'],
    });
    expect(result.warnings).toEqual([
      {
        type: 'other',
        message:
          'rich-store: metadata fields that are not strings, finite numbers, booleans or string lists were left out: rich (author, gone).',
      },
    ]);
    // The candidate's list is a copy: changing it leaves the node as it was.
    ((result.candidates[0]?.metadata?.tags ?? []) as string[]).push('changed');
    expect(node.metadata.tags).toEqual(['a']);
  });

  test('applies a filter to what the retriever returned', async () => {
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => [
        { node: loanNode(), score: 0.9 },
        { node: cardNode(), score: 0.8 },
        { node: hoursNode(), score: 0.7 },
      ]),
    );
    const { candidates } = await stage.doRetrieve({
      query: 'anything',
      topK: 5,
      filter: { category: { $in: ['card', 'service'] } },
    });
    expect(candidates.map((candidate) => candidate.id)).toEqual(['card', 'hours']);
  });

  test('refuses a namespace, which a LlamaIndex retriever cannot honour', async () => {
    const retriever = new ListRetriever(() => [{ node: loanNode(), score: 1 }]);
    const stage = fromLlamaIndexRetriever(retriever, { name: 'docs' });
    const call = stage.doRetrieve({ query: 'loan', topK: 1, namespace: 'tenant-a' });
    await expect(call).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(call).rejects.toThrow(/'namespace'.*no namespaces.*docs/);
    expect(retriever.queries).toEqual([]);
  });

  test('a retriever answering something else is an InvalidResponseError', async () => {
    // A plain object: LlamaIndex's BaseRetriever.retrieve() would itself choke on a non-array.
    const notArray = fromLlamaIndexRetriever(
      { retrieve: async () => ({ nodes: [] }) as never },
      { name: 'broken' },
    );
    await expect(notArray.doRetrieve({ query: 'x', topK: 1 })).rejects.toThrow(
      new InvalidResponseError({
        provider: 'llamaindex',
        modelId: 'broken',
        message: 'retrieve() must return an array of NodeWithScore, got object.',
      }),
    );
    const noNode = fromLlamaIndexRetriever(
      { retrieve: async () => [{ score: 1 } as never] },
      { name: 'broken' },
    );
    await expect(noNode.doRetrieve({ query: 'x', topK: 1 })).rejects.toSatisfy(
      InvalidResponseError.isInstance,
    );
  });

  test("the retriever's own error reaches the caller unchanged", async () => {
    const failure = new Error('vector store unreachable');
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(() => {
        throw failure;
      }),
    );
    await expect(stage.doRetrieve({ query: 'x', topK: 1 })).rejects.toBe(failure);
  });

  test('an abort releases the caller while the retriever is still working', async () => {
    let release: (() => void) | undefined;
    const stage = fromLlamaIndexRetriever(
      new ListRetriever(
        () =>
          new Promise((resolve) => {
            release = () => resolve([{ node: loanNode(), score: 1 }]);
          }),
      ),
    );
    const controller = new AbortController();
    const call = stage.doRetrieve({ query: 'x', topK: 1, abortSignal: controller.signal });
    controller.abort();
    await expect(call).rejects.toSatisfy(AbortedError.isInstance);
    release?.();
  });

  test('maxTopK is declared, and core refuses a larger topK', async () => {
    const stage = fromLlamaIndexRetriever(new ListRetriever(() => []), { maxTopK: 10 });
    expect(stage.maxTopK).toBe(10);
    await expect(retrieve({ retriever: stage, query: 'x', topK: 11 })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
  });

  test('bad arguments are InvalidArgumentErrors naming them', () => {
    const retriever = new ListRetriever(() => []);
    const cases: [() => unknown, RegExp][] = [
      [() => fromLlamaIndexRetriever({} as never), /'retriever'/],
      [() => fromLlamaIndexRetriever(null as never), /'retriever'/],
      [() => fromLlamaIndexRetriever(retriever, null as never), /'options'/],
      [
        () => fromLlamaIndexRetriever(retriever, { nmae: 'x' } as never),
        /'options.nmae'.*did you mean 'name'/,
      ],
      [() => fromLlamaIndexRetriever(retriever, { name: ' ' }), /'options.name'/],
      [
        () => fromLlamaIndexRetriever(retriever, { metadataMode: 'SOME' as never }),
        /'options.metadataMode'.*ALL, EMBED, LLM, NONE/,
      ],
      [() => fromLlamaIndexRetriever(retriever, { maxTopK: 0 }), /'options.maxTopK'/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(message);
      expect(() => call()).toThrow(InvalidArgumentError);
    }
  });

  test("is stage 1 of core's twoStage, re-ranked by core's mock reranker", async () => {
    const retriever = fromLlamaIndexRetriever(
      await buildVectorRetriever([
        { id: 'hours', text: 'Branches open at 8 am on weekdays.' },
        { id: 'fee', text: 'An early repayment fee of 2% applies to home loans.' },
        { id: 'card', text: 'Report a lost card through the hotline.' },
      ]),
      { name: 'policies' },
    );
    const { results, servedBy } = await twoStage({
      retriever,
      reranker: new MockRerankStage(),
      query: 'early repayment fee',
      rerankTopN: 1,
    });
    expect(
      results.map(({ id, rerankScore, retrieveRank }) => [id, rerankScore, retrieveRank]),
    ).toEqual([['fee', 1, 1]]);
    expect(servedBy).toEqual({ retriever: 'llamaindex:policies', reranker: 'mock:mock-reranker' });
  });
});
