import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingModelV1 } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import {
  createBm25Retriever,
  createHybridRetriever,
  createTextAnalyzer,
  createVectorRetriever,
  loadBm25Retriever,
  loadEmbeddedRetriever,
  loadVectorRetriever,
} from '@twostage/embedded';
import type { BadInputRow } from './bad-input-row.js';

const iae = (argument?: string) =>
  argument === undefined
    ? { error: 'InvalidArgumentError' }
    : { error: 'InvalidArgumentError', argument };

const model = () => new MockEmbeddingModel({ dimensions: 8 });
/** An embedding model that answers all-zero vectors (a broken model or an empty input). */
const zeroModel = (): EmbeddingModelV1 => ({
  specificationVersion: 'v1',
  provider: 'zero',
  modelId: 'zero',
  dimensions: 4,
  maxEmbeddingsPerCall: undefined,
  supportsParallelCalls: true,
  async doEmbed({ values }) {
    return { embeddings: values.map(() => new Float32Array(4)) };
  },
});

const scratch = () => mkdtempSync(join(tmpdir(), 'twostage-bad-'));
const aFile = () => {
  const path = join(scratch(), 'not-a-directory');
  writeFileSync(path, 'x');
  return path;
};
const bm25 = (options: Record<string, unknown>) => createBm25Retriever(options as never);
const vector = (options: Record<string, unknown>) =>
  createVectorRetriever({ embeddingModel: model(), ...options } as never);
const hybrid = (options: Record<string, unknown>) =>
  createHybridRetriever({
    lexical: createBm25Retriever(),
    vector: vector({}),
    ...options,
  } as never);
const doc = (extra: Record<string, unknown>) => ({ id: 'a', text: 'fee', ...extra });

/** Bad inputs to the embedded engine. */
export const embeddedBadInputs: BadInputRow[] = [
  {
    area: 'embedded',
    input: 'createBm25Retriever({ foldDiacritics: true }) (belongs in analyzer)',
    expect: iae('foldDiacritics'),
    run: () => bm25({ foldDiacritics: true }),
  },
  {
    area: 'embedded',
    input: 'createBm25Retriever({ K1: 1.2 })',
    expect: iae('K1'),
    run: () => bm25({ K1: 1.2 }),
  },
  {
    area: 'embedded',
    input: 'createBm25Retriever(null)',
    expect: iae('options'),
    run: () => bm25(null as never),
  },
  {
    area: 'embedded',
    input: 'createBm25Retriever({ k1: -1 })',
    expect: iae('k1'),
    run: () => bm25({ k1: -1 }),
  },
  {
    area: 'embedded',
    input: "createBm25Retriever({ k1: '1.2' })",
    expect: iae('k1'),
    run: () => bm25({ k1: '1.2' }),
  },
  {
    area: 'embedded',
    input: 'createBm25Retriever({ b: 2 })',
    expect: iae('b'),
    run: () => bm25({ b: 2 }),
  },
  {
    area: 'embedded',
    input: "createBm25Retriever({ analyzer: 'english' })",
    expect: iae('analyzer'),
    run: () => bm25({ analyzer: 'english' }),
  },
  {
    area: 'embedded',
    input: 'analyzer: { stopWords: 5 }',
    expect: iae('analyzer.stopWords'),
    run: () => bm25({ analyzer: { stopWords: 5 } }),
  },
  {
    area: 'embedded',
    input: "analyzer: { stopWords: ['a', 1] }",
    expect: iae('analyzer.stopWords'),
    run: () => bm25({ analyzer: { stopWords: ['a', 1] } }),
  },
  {
    area: 'embedded',
    input: "analyzer: { stopWords: 'german' }",
    expect: iae('analyzer.stopWords'),
    run: () => bm25({ analyzer: { stopWords: 'german' } }),
  },
  {
    area: 'embedded',
    input: 'analyzer: { foldDiacritic: true }',
    expect: iae('analyzer.foldDiacritic'),
    run: () => bm25({ analyzer: { foldDiacritic: true } }),
  },
  {
    area: 'embedded',
    input: "analyzer: { caseFold: 'yes' }",
    expect: iae('analyzer.caseFold'),
    run: () => bm25({ analyzer: { caseFold: 'yes' } }),
  },
  {
    area: 'embedded',
    input: 'analyzer: { minTokenLength: 0 }',
    expect: iae('analyzer.minTokenLength'),
    run: () => bm25({ analyzer: { minTokenLength: 0 } }),
  },
  {
    area: 'embedded',
    input: "createTextAnalyzer({ stopwords: 'english' })",
    expect: iae('stopwords'),
    run: () => createTextAnalyzer({ stopwords: 'english' } as never),
  },
  {
    area: 'embedded',
    input: 'bm25.add(documents) with an id twice',
    expect: iae(),
    run: () => createBm25Retriever().add([doc({}), doc({})]),
  },
  {
    area: 'embedded',
    input: "bm25.add('text')",
    expect: iae('documents'),
    run: () => createBm25Retriever().add('text' as never),
  },
  {
    area: 'embedded',
    input: "bm25.add([{ id: '', text }])",
    expect: iae(),
    run: () => createBm25Retriever().add([doc({ id: '' })]),
  },
  {
    area: 'embedded',
    input: 'bm25.add([{ id, text: 5 }])',
    expect: iae(),
    run: () => createBm25Retriever().add([doc({ text: 5 })]),
  },
  {
    area: 'embedded',
    input: 'bm25.add([{ metadata: { nested: { a: 1 } } }])',
    expect: iae(),
    run: () => createBm25Retriever().add([doc({ metadata: { nested: { a: 1 } } })]),
  },
  {
    area: 'embedded',
    input: "bm25.delete('a') (not a list)",
    expect: iae('ids'),
    run: () => createBm25Retriever().delete('a' as never),
  },
  {
    area: 'embedded',
    input: "bm25.save('')",
    expect: iae('directory'),
    run: () => createBm25Retriever().save(''),
  },
  {
    area: 'embedded',
    input: 'bm25.save(a path that is a file)',
    expect: iae('directory'),
    run: () => createBm25Retriever().save(aFile()),
  },
  {
    area: 'embedded',
    input: 'bm25.save(a path below a file)',
    expect: { error: 'IndexWriteError' },
    run: () => createBm25Retriever().save(join(aFile(), 'index')),
  },
  {
    area: 'embedded',
    input: "loadBm25Retriever('')",
    expect: iae('directory'),
    run: () => loadBm25Retriever(''),
  },
  {
    area: 'embedded',
    input: 'loadBm25Retriever(a missing directory)',
    expect: { error: 'IndexFormatError', message: /does not exist/ },
    run: () => loadBm25Retriever(join(scratch(), 'missing')),
  },
  {
    area: 'embedded',
    input: 'loadVectorRetriever(a BM25 index)',
    expect: { error: 'IndexFormatError', message: /'bm25' index/ },
    run: async () => {
      const directory = scratch();
      await createBm25Retriever().save(directory);
      return loadVectorRetriever(directory);
    },
  },
  {
    area: 'embedded',
    input: 'loadVectorRetriever(dir, { embeddingModle })',
    expect: iae('embeddingModle'),
    run: () => loadVectorRetriever(scratch(), { embeddingModle: model() } as never),
  },
  {
    area: 'embedded',
    input: "loadEmbeddedRetriever(dir, { kind: 'ivf' })",
    expect: iae('kind'),
    run: () => loadEmbeddedRetriever(scratch(), { kind: 'ivf' } as never),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever() with no options',
    expect: iae('options'),
    run: () => createVectorRetriever(undefined as never),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({}) (no model)',
    expect: iae('embeddingModel'),
    run: () => createVectorRetriever({} as never),
  },
  {
    area: 'embedded',
    input: "createVectorRetriever({ metric: 'l2' })",
    expect: iae('metric'),
    run: () => vector({ metric: 'l2' }),
  },
  {
    area: 'embedded',
    input: "createVectorRetriever({ index: 'ivf' })",
    expect: iae('index'),
    run: () => vector({ index: 'ivf' }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ maxConcurency: 2 })',
    expect: iae('maxConcurency'),
    run: () => vector({ maxConcurency: 2 }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ maxRetries: -1 })',
    expect: iae('maxRetries'),
    run: () => vector({ maxRetries: -1 }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ approximateThreshold: 0 })',
    expect: iae('approximateThreshold'),
    run: () => vector({ approximateThreshold: 0 }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ approximate: { prob: 8 } })',
    expect: iae('approximate.prob'),
    run: () => vector({ approximate: { prob: 8 } }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ approximate: { lists: 0 } })',
    expect: iae('approximate.lists'),
    run: () => vector({ approximate: { lists: 0 } }),
  },
  {
    area: 'embedded',
    input: 'createVectorRetriever({ approximate: { targetRecall: 1.5 } })',
    expect: iae('approximate.targetRecall'),
    run: () => vector({ approximate: { targetRecall: 1.5 } }),
  },
  {
    area: 'embedded',
    input: "createVectorRetriever({ embeddingModelRef: '' })",
    expect: iae('embeddingModelRef'),
    run: () => vector({ embeddingModelRef: '' }),
  },
  {
    area: 'embedded',
    input: 'an all-zero precomputed embedding under cosine',
    expect: iae('documents[0].embedding'),
    run: () => vector({}).add([doc({ embedding: new Float32Array(8) })]),
  },
  {
    area: 'embedded',
    input: 'a precomputed embedding of the wrong length',
    expect: iae('documents[0].embedding'),
    run: () => vector({}).add([doc({ embedding: [1, 2] })]),
  },
  {
    area: 'embedded',
    input: 'a precomputed embedding holding NaN',
    expect: iae('documents[0].embedding[1]'),
    run: () => vector({}).add([doc({ embedding: [1, Number.NaN, 0, 0, 0, 0, 0, 0] })]),
  },
  {
    area: 'embedded',
    input: 'a model answering an all-zero document embedding (cosine)',
    expect: { error: 'InvalidResponseError', message: /all zeros/ },
    run: () => createVectorRetriever({ embeddingModel: zeroModel() }).add([doc({})]),
  },
  {
    area: 'embedded',
    input: 'searchByVector(all zeros) under cosine',
    expect: iae('vector'),
    run: () => vector({}).searchByVector(new Float32Array(8), { topK: 1 }),
  },
  {
    area: 'embedded',
    input: 'searchByVector(a vector of the wrong length)',
    expect: iae('vector'),
    run: () => vector({}).searchByVector([1], { topK: 1 }),
  },
  {
    area: 'embedded',
    input: 'searchByVector(v, { topK: 0 })',
    expect: iae('topK'),
    run: () => vector({}).searchByVector([1, 0, 0, 0, 0, 0, 0, 0], { topK: 0 }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever() with no options',
    expect: iae('options'),
    run: () => createHybridRetriever(undefined as never),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ lexical: {} })',
    expect: iae('lexical'),
    run: () => hybrid({ lexical: {} }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ fusion: "rrf" })',
    expect: iae('fusion'),
    run: () => hybrid({ fusion: 'rrf' }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ weights: { lexcal: 1 } })',
    expect: iae('weights.lexcal'),
    run: () => hybrid({ weights: { lexcal: 1 } }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ weights: { lexical: 0, vector: 0 } })',
    expect: iae('weights'),
    run: () => hybrid({ weights: { lexical: 0, vector: 0 } }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ k: -1 })',
    expect: iae('k'),
    run: () => hybrid({ k: -1 }),
  },
  {
    area: 'embedded',
    input: 'createHybridRetriever({ candidateMultiplier: 0.5 })',
    expect: iae('candidateMultiplier'),
    run: () => hybrid({ candidateMultiplier: 0.5 }),
  },
];
