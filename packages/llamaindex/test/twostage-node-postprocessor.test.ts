import type { MessageContent } from '@llamaindex/core/llms';
import { MetadataMode, type NodeWithScore, TextNode } from '@llamaindex/core/schema';
import { ApiCallError, InvalidArgumentError, type RerankResult } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import { TwostageNodePostprocessor } from '../src/index.js';

/** Three retrieved nodes in stage-1 order; the one about fees is last. */
function retrievedNodes(): NodeWithScore[] {
  return [
    {
      node: new TextNode({
        id_: 'hours',
        text: 'Branches open at 8 am.',
        metadata: { topic: 'service' },
      }),
      score: 0.9,
    },
    {
      node: new TextNode({
        id_: 'card',
        text: 'Lost card: call the hotline.',
        metadata: { topic: 'card' },
      }),
      score: 0.8,
    },
    {
      node: new TextNode({
        id_: 'fee',
        text: 'The early repayment fee is 2%.',
        metadata: { topic: 'loan' },
      }),
      score: 0.7,
    },
  ];
}

const idsAndScores = (nodes: NodeWithScore[]) => nodes.map(({ node, score }) => [node.id_, score]);

describe('TwostageNodePostprocessor', () => {
  test('re-orders the nodes by the rerank score, as new NodeWithScore objects holding the same nodes', async () => {
    const reranker = new MockRerankStage();
    const nodes = retrievedNodes();
    const before = nodes.map((entry) => ({ ...entry }));
    const reranked = await new TwostageNodePostprocessor({ reranker }).postprocessNodes(
      nodes,
      'early repayment fee',
    );
    // The mock scores the share of the query's words a text holds; the metadata line 'topic: loan' adds none.
    expect(idsAndScores(reranked)).toEqual([
      ['fee', 1],
      ['hours', 0],
      ['card', 0],
    ]);
    expect(reranked[0]?.node).toBe(nodes[2]?.node);
    expect(reranked[0]).not.toBe(nodes[2]);
    expect(nodes).toEqual(before);
    expect(nodes.map((entry) => entry.score)).toEqual([0.9, 0.8, 0.7]);
  });

  test('sends node.getContent(MetadataMode.ALL) by default, as CohereRerank does', async () => {
    const reranker = new MockRerankStage();
    await new TwostageNodePostprocessor({ reranker }).postprocessNodes(retrievedNodes(), 'fee');
    expect(reranker.calls[0]?.documents).toEqual({
      type: 'text',
      values: [
        'topic: service\n\nBranches open at 8 am.',
        'topic: card\n\nLost card: call the hotline.',
        'topic: loan\n\nThe early repayment fee is 2%.',
      ],
    });
  });

  test('metadataMode NONE sends the text alone', async () => {
    const reranker = new MockRerankStage();
    await new TwostageNodePostprocessor({
      reranker,
      metadataMode: MetadataMode.NONE,
    }).postprocessNodes(retrievedNodes(), 'fee');
    expect(reranker.calls[0]?.documents.values).toEqual([
      'Branches open at 8 am.',
      'Lost card: call the hotline.',
      'The early repayment fee is 2%.',
    ]);
  });

  test('keeps topN nodes and none below minScore', async () => {
    const score = (text: string) =>
      text.includes('fee') ? 0.9 : text.includes('card') ? 0.4 : 0.1;
    const reranker = new MockRerankStage({ score });
    const topTwo = await new TwostageNodePostprocessor({ reranker, topN: 2 }).postprocessNodes(
      retrievedNodes(),
      'fee',
    );
    expect(idsAndScores(topTwo)).toEqual([
      ['fee', 0.9],
      ['card', 0.4],
    ]);
    expect(reranker.calls[0]?.topN).toBe(2);
    const aboveHalf = await new TwostageNodePostprocessor({
      reranker,
      minScore: 0.5,
    }).postprocessNodes(retrievedNodes(), 'fee');
    expect(idsAndScores(aboveHalf)).toEqual([['fee', 0.9]]);
  });

  test("windows through core: the reranker's maxDocumentsPerCall holds and one ranking comes back", async () => {
    const reranker = new MockRerankStage({ maxDocumentsPerCall: 2 });
    const reranked = await new TwostageNodePostprocessor({
      reranker,
      metadataMode: MetadataMode.NONE,
    }).postprocessNodes(retrievedNodes(), 'lost card hotline');
    expect(reranker.calls.map((call) => call.documents.values.length)).toEqual([2, 1]);
    expect(reranked.map(({ node }) => node.id_)).toEqual(['card', 'hours', 'fee']);
  });

  test("retries a retryable failure through core's retry loop", async () => {
    const reranker = new MockRerankStage({
      faults: [
        { call: 1, error: new ApiCallError({ message: 'busy', url: 'mock://', statusCode: 503 }) },
      ],
    });
    const results: RerankResult<string>[] = [];
    const reranked = await new TwostageNodePostprocessor({
      reranker,
      onResult: (result) => results.push(result),
    }).postprocessNodes(retrievedNodes(), 'early repayment fee');
    expect(reranked[0]?.node.id_).toBe('fee');
    expect(reranker.calls.length).toBe(2);
    expect(results.map((result) => [result.timings.calls, result.servedBy])).toEqual([
      [2, 'mock:mock-reranker'],
    ]);
  });

  test('reads the text of a MessageContent query', async () => {
    const reranker = new MockRerankStage();
    const query: MessageContent = [
      { type: 'text', text: 'early repayment' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      { type: 'text', text: 'fee' },
    ];
    await new TwostageNodePostprocessor({ reranker }).postprocessNodes(retrievedNodes(), query);
    expect(reranker.calls[0]?.query).toBe('early repayment\n\nfee');
  });

  test('no nodes give [] without calling the reranker', async () => {
    const reranker = new MockRerankStage();
    expect(await new TwostageNodePostprocessor({ reranker }).postprocessNodes([], 'fee')).toEqual(
      [],
    );
    expect(reranker.calls).toEqual([]);
  });

  test('a missing or textless query is an InvalidArgumentError naming it', async () => {
    const postprocessor = new TwostageNodePostprocessor({ reranker: new MockRerankStage() });
    const cases: [unknown, RegExp][] = [
      [undefined, /'query': is required/],
      [null, /'query': must be a string or MessageContentDetail\[\], got null/],
      ['   ', /'query': has no text/],
      [
        [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
        /'query': has no text/,
      ],
    ];
    for (const [query, message] of cases) {
      const call = postprocessor.postprocessNodes(retrievedNodes(), query as MessageContent);
      await expect(call).rejects.toThrow(message);
      await expect(call).rejects.toSatisfy(InvalidArgumentError.isInstance);
    }
  });

  test('nodes that are not NodeWithScore are InvalidArgumentErrors naming the entry', async () => {
    const postprocessor = new TwostageNodePostprocessor({ reranker: new MockRerankStage() });
    await expect(postprocessor.postprocessNodes('nodes' as never, 'fee')).rejects.toThrow(
      /'nodes': must be an array/,
    );
    const nodes = [...retrievedNodes(), { text: 'not a node' } as never];
    await expect(postprocessor.postprocessNodes(nodes, 'fee')).rejects.toThrow(/'nodes\[3\]'/);
  });

  test('bad options are InvalidArgumentErrors naming them', () => {
    const reranker = new MockRerankStage();
    const cases: [unknown, RegExp][] = [
      [undefined, /'options'/],
      [{}, /'options.reranker'/],
      [{ reranker: {} }, /'options.reranker'/],
      [{ reranker, top_n: 3 }, /'options.top_n'.*did you mean 'topN'/],
      [{ reranker, topN: 0 }, /'options.topN'/],
      [{ reranker, minScore: Number.NaN }, /'options.minScore'/],
      [{ reranker, metadataMode: 'all' }, /'options.metadataMode'/],
      [{ reranker, maxRetries: -1 }, /'options.maxRetries'/],
      [{ reranker, maxConcurrency: 0 }, /'options.maxConcurrency'/],
      [{ reranker, timeoutMs: 0 }, /'options.timeoutMs'/],
      [{ reranker, onResult: 'log' }, /'options.onResult'/],
    ];
    for (const [options, message] of cases) {
      const build = () => new TwostageNodePostprocessor(options as never);
      expect(build).toThrow(message);
      expect(build).toThrow(InvalidArgumentError);
    }
  });
});
