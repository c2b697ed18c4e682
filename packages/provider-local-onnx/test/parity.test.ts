import { afterAll, describe, expect, test } from 'vitest';
import { createLocalOnnx, type LocalOnnxRerankStage } from '../src/index.js';
import { SeededRandom } from '../src/testing/index.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';
import { loadTransformersReference } from './transformers-reference.js';

const words = [
  'bank',
  'loan',
  'rate',
  'card',
  'the',
  'fee',
  'ngân',
  'hàng',
  '😀',
  'interest',
  'open',
  'cat',
  'zorbu',
  'lãi',
];

/** Documents of 1–90 words, all short enough that no pair needs truncation at 128 tokens. */
function mixedDocuments(count: number, seed: number): string[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: random.integer(1, 45) }, () => random.pick(words)).join(' '),
  );
}

function shuffled<T>(values: readonly T[], seed: number): T[] {
  const random = new SeededRandom(seed);
  const copy = [...values];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.integer(0, index);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

function maxAbsDiff(left: ArrayLike<number>, right: ArrayLike<number>): number {
  expect(left.length).toBe(right.length);
  let max = 0;
  for (let index = 0; index < left.length; index += 1) {
    max = Math.max(max, Math.abs((left[index] as number) - (right[index] as number)));
  }
  return max;
}

/** Scores in input order from a ranking. */
async function scoresInOrder(
  stage: LocalOnnxRerankStage,
  query: string,
  documents: string[],
): Promise<number[]> {
  const result = await stage.doRerank({ query, documents: { type: 'text', values: documents } });
  // Parity is promised for pairs that need no truncation; make sure none did.
  expect(
    result.warnings?.filter((warning) => JSON.stringify(warning).includes('truncated')),
  ).toEqual([]);
  const scores = new Array<number>(documents.length);
  for (const entry of result.ranking) scores[entry.index] = entry.score;
  return scores;
}

const stages: LocalOnnxRerankStage[] = [];
afterAll(async () => {
  await Promise.all(stages.map((stage) => stage.close()));
});

describe.each([
  ['BERT', fixtureModel('bert-cross-encoder')],
  ['XLM-R', fixtureModel('xlm-roberta-cross-encoder')],
])('fp32 parity with transformers.js (%s)', (_, directory) => {
  const documents = [...sampleDocuments, ...mixedDocuments(28, 5)];

  test('logits equal transformers.js’s within 1e-5, in any order and batch makeup', async () => {
    const reference = await loadTransformersReference(directory);
    const expected = await reference.logits(sampleQuery, documents);
    const variants = [
      createLocalOnnx().reranker(directory, { activation: 'identity' }),
      // Two single-threaded sessions sharing each call's batches.
      createLocalOnnx().reranker(directory, {
        activation: 'identity',
        workers: 2,
        threads: 1,
        maxBatchTokens: 64,
      }),
      createLocalOnnx().reranker(directory, {
        activation: 'identity',
        maxBatchTokens: 96,
        worker: false,
      }),
      createLocalOnnx().reranker(directory, {
        activation: 'identity',
        deterministic: true,
        worker: false,
      }),
    ];
    stages.push(...variants);
    for (const [variantIndex, stage] of variants.entries()) {
      for (const seed of [0, 1]) {
        const order =
          seed === 0
            ? documents.map((__, index) => index)
            : shuffled(
                documents.map((__, index) => index),
                variantIndex + 17,
              );
        const scores = await scoresInOrder(
          stage,
          sampleQuery,
          order.map((index) => documents[index] as string),
        );
        const expectedInOrder = order.map((index) => expected[index] as number);
        expect(maxAbsDiff(scores, expectedInOrder)).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  test('the default activation (sigmoid for one logit) is applied on top of the same logits', async () => {
    const reference = await loadTransformersReference(directory);
    const expected = await reference.logits(sampleQuery, sampleDocuments);
    const stage = createLocalOnnx().reranker(directory);
    stages.push(stage);
    expect(stage.scoreKind).toBe('probability');
    const scores = await scoresInOrder(stage, sampleQuery, [...sampleDocuments]);
    expect(
      maxAbsDiff(
        scores,
        Array.from(expected, (logit) => 1 / (1 + Math.exp(-logit))),
      ),
    ).toBeLessThanOrEqual(1e-6);
  });
});

describe('two-label cross-encoder declaring Identity in config.json', () => {
  test('scores are the positive label’s logit, scoreKind logit; softmax when asked', async () => {
    const directory = fixtureModel('bert-cross-encoder-two-labels');
    const reference = await loadTransformersReference(directory);
    const expected = await reference.logits(sampleQuery, sampleDocuments);
    const stage = createLocalOnnx().reranker(directory, { worker: false });
    const softmax = createLocalOnnx().reranker(directory, { activation: 'softmax', worker: false });
    stages.push(stage, softmax);
    expect(stage.scoreKind).toBe('logit');
    expect(softmax.scoreKind).toBe('probability');
    const positive = sampleDocuments.map((__, index) => expected[index * 2 + 1] as number);
    expect(
      maxAbsDiff(await scoresInOrder(stage, sampleQuery, [...sampleDocuments]), positive),
    ).toBeLessThanOrEqual(1e-5);
    const probabilities = sampleDocuments.map((__, index) => {
      const negative = expected[index * 2] as number;
      const positiveLogit = expected[index * 2 + 1] as number;
      return 1 / (1 + Math.exp(negative - positiveLogit));
    });
    expect(
      maxAbsDiff(await scoresInOrder(softmax, sampleQuery, [...sampleDocuments]), probabilities),
    ).toBeLessThanOrEqual(1e-6);
  });
});

describe('bi-encoder parity with transformers.js hidden states', () => {
  test.each([
    ['BERT, mean pooling', fixtureModel('bert-bi-encoder'), 'mean', ''],
    [
      'XLM-R, CLS pooling, e5-style prompts',
      fixtureModel('xlm-roberta-bi-encoder'),
      'cls',
      'passage: ',
    ],
  ] as const)(
    '%s: pooled, L2-normalised vectors match within 1e-5',
    async (_, directory, pooling, prefix) => {
      const model = createLocalOnnx().embeddingModel(directory);
      try {
        const values = [...sampleDocuments];
        const { embeddings } = await model.doEmbed({ values, inputType: 'document' });
        const reference = await loadTransformersReference(directory);
        const { data, dims, mask } = await reference.hiddenStates(
          values.map((value) => prefix + value),
        );
        const [, length, width] = dims as [number, number, number];
        expect(model.dimensions).toBe(width);
        values.forEach((__, row) => {
          const vector = new Float64Array(width);
          let count = 0;
          for (let token = 0; token < length; token += 1) {
            if (mask[row * length + token] === 0) continue;
            if (pooling === 'cls' && token > 0) break;
            count += 1;
            for (let dimension = 0; dimension < width; dimension += 1) {
              vector[dimension] =
                (vector[dimension] as number) +
                (data[(row * length + token) * width + dimension] as number);
            }
          }
          const mean = vector.map((value) => value / count);
          const norm = Math.sqrt(mean.reduce((sum, value) => sum + value * value, 0));
          expect(
            maxAbsDiff(
              embeddings[row] as Float32Array,
              mean.map((value) => value / norm),
            ),
          ).toBeLessThanOrEqual(1e-5);
        });
      } finally {
        await model.close();
      }
    },
  );
});

describe('truncated pairs follow the documented semantics', () => {
  // Hand-checked ids (see pair-encoder.test.ts): the model must score exactly these sequences.
  test.each([
    [
      'longest_first',
      { maxLength: 12 },
      'bank loan rate',
      [2, 156, 157, 160, 3, 143, 189, 191, 150, 143, 192, 3],
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
    ],
    [
      'only_second with a query cap',
      { maxLength: 10, truncation: 'only_second', queryMaxTokens: 2 },
      'bank loan rate the cat sat on the mat',
      [2, 156, 157, 3, 143, 189, 191, 150, 143, 3],
      [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
    ],
  ] as const)(
    '%s: the score is the model’s logit for the expected ids, with a truncation warning',
    async (_, options, query, ids, typeIds) => {
      const directory = fixtureModel('bert-cross-encoder');
      const stage = createLocalOnnx().reranker(directory, {
        activation: 'identity',
        worker: false,
        ...options,
      });
      stages.push(stage);
      const result = await stage.doRerank({
        query,
        documents: { type: 'text', values: ['the cat sat on the mat the cat sat on the mat'] },
      });
      const reference = await loadTransformersReference(directory);
      const [expected] = await reference.logitsForIds(ids, typeIds);
      expect(
        Math.abs((result.ranking[0]?.score ?? Number.NaN) - (expected as number)),
      ).toBeLessThanOrEqual(1e-5);
      expect(JSON.stringify(result.warnings)).toContain(
        '1 of 1 (query, document) pairs were truncated',
      );
    },
  );
});
