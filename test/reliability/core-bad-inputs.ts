import {
  createPipeline,
  embed,
  embedMany,
  rerank,
  resolveReranker,
  retrieve,
  twoStage,
  withCache,
  withCircuitBreaker,
  withFallback,
  wrapRerankStage,
} from '@twostage/core';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '@twostage/core/mock';
import type { BadInputRow } from './bad-input-row.js';

const documents = [
  { id: 'a', text: 'early repayment fee for a home loan' },
  { id: 'b', text: 'card annual fee waived' },
  { id: 'c', text: 'savings interest rate' },
];
const reranker = () => new MockRerankStage();
const retriever = () => new MockRetrieveStage({ documents });
const texts = documents.map((document) => document.text);
const model = () => new MockEmbeddingModel();

/** A rerank stage returning `scores` as given, to check core's response checks. */
function fixedStage(
  scoreKind: 'probability' | 'similarity' | 'logit',
  scores: number[],
  indices?: number[],
) {
  return {
    specificationVersion: 'v1' as const,
    provider: 'fixed',
    modelId: 'fixed',
    scoreKind,
    maxDocumentsPerCall: undefined,
    async doRerank() {
      return {
        ranking: scores.map((relevanceScore, position) => ({
          index: indices?.[position] ?? position,
          score: relevanceScore,
        })),
      };
    },
  };
}

function nestedFilter(depth: number): Record<string, unknown> {
  let filter: Record<string, unknown> = { a: 1 };
  for (let level = 0; level < depth; level++) filter = { $and: [filter] };
  return filter;
}

const r = (options: Record<string, unknown>) =>
  rerank({ model: reranker(), query: 'fee', documents: texts, ...options } as never);
const q = (options: Record<string, unknown>) =>
  retrieve({ retriever: retriever(), query: 'fee', topK: 2, ...options } as never);
const t = (options: Record<string, unknown>) =>
  twoStage({ retriever: retriever(), reranker: reranker(), query: 'fee', ...options } as never);

const iae = (argument?: string) =>
  argument === undefined
    ? { error: 'InvalidArgumentError' }
    : { error: 'InvalidArgumentError', argument };

/** Bad inputs to `@twostage/core`'s public functions. */
export const coreBadInputs: BadInputRow[] = [
  { area: 'core', input: 'rerank({ top_n: 2 })', expect: iae('top_n'), run: () => r({ top_n: 2 }) },
  {
    area: 'core',
    input: 'rerank() with no options',
    expect: iae('options'),
    run: () => rerank(undefined as never),
  },
  {
    area: 'core',
    input: 'rerank({ model: null })',
    expect: iae('model'),
    run: () => r({ model: null }),
  },
  {
    area: 'core',
    input: "rerank model with specificationVersion 'v2'",
    expect: iae('model.specificationVersion'),
    run: () => r({ model: { ...fixedStage('probability', [0.5]), specificationVersion: 'v2' } }),
  },
  {
    area: 'core',
    input: "rerank model with scoreKind 'percent'",
    expect: iae('model.scoreKind'),
    run: () => r({ model: { ...fixedStage('probability', [0.5]), scoreKind: 'percent' } }),
  },
  {
    area: 'core',
    input: "rerank({ query: '' })",
    expect: iae('query'),
    run: () => r({ query: '' }),
  },
  {
    area: 'core',
    input: "rerank({ query: '   ' })",
    expect: iae('query'),
    run: () => r({ query: '   ' }),
  },
  {
    area: 'core',
    input: 'rerank({ query: 42 })',
    expect: iae('query'),
    run: () => r({ query: 42 }),
  },
  {
    area: 'core',
    input: "rerank({ documents: 'text' })",
    expect: iae('documents'),
    run: () => r({ documents: 'text' }),
  },
  {
    area: 'core',
    input: 'rerank({ documents: [42] })',
    expect: iae('documents[0]'),
    run: () => r({ documents: [42] }),
  },
  {
    area: 'core',
    input: 'rerank({ documents: [{ id: 1 }] }) (no text)',
    expect: { error: 'InvalidArgumentError' },
    run: () => r({ documents: [{ id: 1 }] }),
  },
  { area: 'core', input: 'rerank({ topN: -1 })', expect: iae('topN'), run: () => r({ topN: -1 }) },
  {
    area: 'core',
    input: 'rerank({ topN: 1.5 })',
    expect: iae('topN'),
    run: () => r({ topN: 1.5 }),
  },
  {
    area: 'core',
    input: 'rerank({ maxRetries: -1 })',
    expect: iae('maxRetries'),
    run: () => r({ maxRetries: -1 }),
  },
  {
    area: 'core',
    input: 'rerank({ maxConcurrency: 0 })',
    expect: iae('maxConcurrency'),
    run: () => r({ maxConcurrency: 0 }),
  },
  {
    area: 'core',
    input: 'rerank({ timeoutMs: 0 })',
    expect: iae('timeoutMs'),
    run: () => r({ timeoutMs: 0 }),
  },
  {
    area: 'core',
    input: "rerank({ timeoutMs: 'soon' })",
    expect: iae('timeoutMs'),
    run: () => r({ timeoutMs: 'soon' }),
  },
  {
    area: 'core',
    input: 'rerank({ timeoutMs: NaN })',
    expect: iae('timeoutMs'),
    run: () => r({ timeoutMs: Number.NaN }),
  },
  {
    area: 'core',
    input: 'rerank({ timeoutMs: 3e9 }) (above ~24.8 days)',
    expect: iae('timeoutMs'),
    run: () => r({ timeoutMs: 3e9 }),
  },
  {
    area: 'core',
    input: 'rerank({ abortSignal: {} })',
    expect: iae('abortSignal'),
    run: () => r({ abortSignal: {} }),
  },
  {
    area: 'core',
    input: "rerank({ documentFormat: 'xml' })",
    expect: iae('documentFormat'),
    run: () => r({ documentFormat: 'xml' }),
  },
  {
    area: 'core',
    input: "rerank({ longDocuments: { strategy: 'split' } })",
    expect: iae('longDocuments.strategy'),
    run: () => r({ longDocuments: { strategy: 'split' } }),
  },
  {
    area: 'core',
    input: 'rerank({ longDocuments: { overlp: 10 } })',
    expect: iae('longDocuments.overlp'),
    run: () => r({ longDocuments: { overlp: 10 } }),
  },
  {
    area: 'core',
    input: 'a probability stage scoring 7.3',
    expect: { error: 'InvalidResponseError', message: /7\.3/ },
    run: () => r({ model: fixedStage('probability', [7.3, 0.1, 0.2]) }),
  },
  {
    area: 'core',
    input: 'a probability stage scoring −2',
    expect: { error: 'InvalidResponseError', message: /-2/ },
    run: () => r({ model: fixedStage('probability', [0.2, -2, 0.1]) }),
  },
  {
    area: 'core',
    input: 'a similarity stage scoring 1.5',
    expect: { error: 'InvalidResponseError' },
    run: () => r({ model: fixedStage('similarity', [1.5, 0.1, 0.2]) }),
  },
  {
    area: 'core',
    input: 'a stage scoring NaN',
    expect: { error: 'InvalidResponseError' },
    run: () => r({ model: fixedStage('logit', [Number.NaN, 1, 2]) }),
  },
  {
    area: 'core',
    input: 'a stage returning index 7 of 3 documents',
    expect: { error: 'InvalidResponseError' },
    run: () => r({ model: fixedStage('logit', [3, 2, 1], [0, 1, 7]) }),
  },
  {
    area: 'core',
    input: 'a stage returning one index twice',
    expect: { error: 'InvalidResponseError' },
    run: () => r({ model: fixedStage('logit', [3, 2, 1], [0, 1, 1]) }),
  },
  {
    area: 'core',
    input: "a lone surrogate in the query ('\\uD800')",
    expect: { warning: /query/ },
    run: async () => (await r({ query: 'fee \uD800' })).warnings,
  },
  {
    area: 'core',
    input: 'a lone surrogate in documents[1]',
    expect: { warning: /documents\[1\]/ },
    run: async () => (await r({ documents: ['a fee', 'b \uDC00 fee', 'c'] })).warnings,
  },
  {
    area: 'core',
    input: 'retrieve({ top_k: 2 })',
    expect: iae('top_k'),
    run: () => q({ top_k: 2 }),
  },
  {
    area: 'core',
    input: 'retrieve({ retriever: {} })',
    expect: iae('retriever'),
    run: () => q({ retriever: {} }),
  },
  {
    area: 'core',
    input: "retrieve({ query: '' })",
    expect: iae('query'),
    run: () => q({ query: '' }),
  },
  { area: 'core', input: 'retrieve({ topK: 0 })', expect: iae('topK'), run: () => q({ topK: 0 }) },
  {
    area: 'core',
    input: "retrieve({ topK: '10' })",
    expect: iae('topK'),
    run: () => q({ topK: '10' }),
  },
  {
    area: 'core',
    input: 'retrieve({ namespace: 5 })',
    expect: iae('namespace'),
    run: () => q({ namespace: 5 }),
  },
  {
    area: 'core',
    input: 'a filter nested 10,000 levels deep',
    expect: { error: 'InvalidFilterError' },
    run: () => q({ filter: nestedFilter(10_000) }),
  },
  {
    area: 'core',
    input: 'a filter with an unknown operator ($foo)',
    expect: { error: 'InvalidFilterError' },
    run: () => q({ filter: { year: { $foo: 1 } } }),
  },
  {
    area: 'core',
    input: "a filter { lang: { $in: 'vi' } }",
    expect: { error: 'InvalidFilterError' },
    run: () => q({ filter: { lang: { $in: 'vi' } } }),
  },
  {
    area: 'core',
    input: "a filter { $and: 'x' }",
    expect: { error: 'InvalidFilterError' },
    run: () => q({ filter: { $and: 'x' } }),
  },
  {
    area: 'core',
    input: 'a filter that is an array',
    expect: iae('filter'),
    run: () => q({ filter: [] }),
  },
  { area: 'core', input: 'twoStage({ topK: 5 })', expect: iae('topK'), run: () => t({ topK: 5 }) },
  {
    area: 'core',
    input: 'twoStage({ rerankTopN: 20, retrieveTopK: 5 })',
    expect: { warning: /retrieveTopK/ },
    run: async () => (await t({ rerankTopN: 20, retrieveTopK: 5 })).warnings,
  },
  {
    area: 'core',
    input: "twoStage({ onRerankError: 'ignore' })",
    expect: iae('onRerankError'),
    run: () => t({ onRerankError: 'ignore' }),
  },
  {
    area: 'core',
    input: 'twoStage({ minScore: NaN })',
    expect: iae('minScore'),
    run: () => t({ minScore: Number.NaN }),
  },
  {
    area: 'core',
    input: 'twoStage({ rerankTimeoutMs: -5 })',
    expect: iae('rerankTimeoutMs'),
    run: () => t({ rerankTimeoutMs: -5 }),
  },
  {
    area: 'core',
    input: 'twoStage with no reranker',
    expect: iae('reranker'),
    run: () => t({ reranker: undefined }),
  },
  {
    area: 'core',
    input: 'createPipeline({ onRerankEror })',
    expect: iae('onRerankEror'),
    run: () =>
      createPipeline({
        retriever: retriever(),
        reranker: reranker(),
        onRerankEror: 'fallback',
      } as never),
  },
  {
    area: 'core',
    input: 'createPipeline({}) (no stages)',
    expect: iae('retriever'),
    run: () => createPipeline({} as never),
  },
  {
    area: 'core',
    input: 'embed({ model, value: 5 })',
    expect: iae('value'),
    run: () => embed({ model: model(), value: 5 } as never),
  },
  {
    area: 'core',
    input: 'embed({ model, values }) (embedMany option)',
    expect: iae('values'),
    run: () => embed({ model: model(), value: 'x', values: ['y'] } as never),
  },
  {
    area: 'core',
    input: "embed with a model of specificationVersion 'v2'",
    expect: iae('model.specificationVersion'),
    run: () =>
      embed({
        model: {
          ...model(),
          doEmbed: async () => ({ embeddings: [] }),
          specificationVersion: 'v2',
        },
        value: 'x',
      } as never),
  },
  {
    area: 'core',
    input: "embedMany({ values: 'x' })",
    expect: iae('values'),
    run: () => embedMany({ model: model(), values: 'x' } as never),
  },
  {
    area: 'core',
    input: 'embedMany({ values: [1] })',
    expect: iae('values[0]'),
    run: () => embedMany({ model: model(), values: [1] } as never),
  },
  {
    area: 'core',
    input: "embedMany({ inputType: 'passage' })",
    expect: iae('inputType'),
    run: () => embedMany({ model: model(), values: ['x'], inputType: 'passage' } as never),
  },
  {
    area: 'core',
    input: 'wrapRerankStage(stage, { wrapCal })',
    expect: iae(),
    run: () => wrapRerankStage(reranker(), { wrapCal: () => undefined } as never),
  },
  { area: 'core', input: 'withFallback([])', expect: iae(), run: () => withFallback([] as never) },
  {
    area: 'core',
    input: 'withFallback([{}])',
    expect: iae(),
    run: () => withFallback([{}] as never),
  },
  {
    area: 'core',
    input: 'withCircuitBreaker(stage, { failureThreshold: 0 })',
    expect: iae('failureThreshold'),
    run: () => withCircuitBreaker(reranker(), { failureThreshold: 0 }),
  },
  {
    area: 'core',
    input: 'withCircuitBreaker(stage, { cooldown: 5 })',
    expect: iae('cooldown'),
    run: () => withCircuitBreaker(reranker(), { cooldown: 5 } as never),
  },
  {
    area: 'core',
    input: 'withCache(stage, { ttlMs: -1 })',
    expect: iae('ttlMs'),
    run: () => withCache(reranker(), { ttlMs: -1 }),
  },
  {
    area: 'core',
    input: 'withCache(stage, { maxEntries: 0 })',
    expect: iae('maxEntries'),
    run: () => withCache(reranker(), { maxEntries: 0 }),
  },
  {
    area: 'core',
    input: 'withCache(stage, { ttl: 5 })',
    expect: iae('ttl'),
    run: () => withCache(reranker(), { ttl: 5 } as never),
  },
  {
    area: 'core',
    input: "resolveReranker('')",
    expect: { error: 'InvalidArgumentError' },
    run: () => resolveReranker(''),
  },
  {
    area: 'core',
    input: "resolveReranker('no-such-provider:model')",
    expect: { error: 'ProviderNotFoundError' },
    run: () => resolveReranker('no-such-provider:model'),
  },
  {
    area: 'core',
    input: 'new MockRerankStage({ latencyMS: 5 })',
    expect: iae('latencyMS'),
    run: () => new MockRerankStage({ latencyMS: 5 } as never),
  },
];
