import { afterAll, describe, expect, test } from 'vitest';
import { createLocalOnnx, type LocalOnnxRerankStage } from '../src/index.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';
import { loadTransformersReference } from './transformers-reference.js';

const stages: LocalOnnxRerankStage[] = [];
afterAll(async () => {
  await Promise.all(stages.map((stage) => stage.close()));
});

async function logitsInOrder(
  stage: LocalOnnxRerankStage,
  documents: readonly string[],
): Promise<number[]> {
  const result = await stage.doRerank({
    query: sampleQuery,
    documents: { type: 'text', values: [...documents] },
  });
  const scores = new Array<number>(documents.length);
  for (const entry of result.ranking) scores[entry.index] = entry.score;
  return scores;
}

describe.each([
  ['BERT', fixtureModel('bert-cross-encoder')],
  ['XLM-R', fixtureModel('xlm-roberta-cross-encoder')],
])('int8 (dynamically quantized) model, %s', (_, directory) => {
  test('q8 scores stay close to fp32 scores', async () => {
    const fp32 = createLocalOnnx().reranker(directory, { activation: 'identity', worker: false });
    const q8 = createLocalOnnx().reranker(directory, {
      activation: 'identity',
      dtype: 'q8',
      worker: false,
    });
    stages.push(fp32, q8);
    const full = await logitsInOrder(fp32, sampleDocuments);
    const quantized = await logitsInOrder(q8, sampleDocuments);
    quantized.forEach((score, index) => {
      expect(Math.abs(score - (full[index] as number))).toBeLessThan(0.05);
    });
  });

  test('deterministic mode: a pair scores the same alone or in any company, and equals transformers.js q8 run one pair at a time', async () => {
    const stage = createLocalOnnx().reranker(directory, {
      activation: 'identity',
      dtype: 'q8',
      deterministic: true,
      worker: false,
    });
    stages.push(stage);
    const together = await logitsInOrder(stage, sampleDocuments);
    const reversed = (await logitsInOrder(stage, [...sampleDocuments].reverse())).reverse();
    expect(reversed).toEqual(together);
    const reference = await loadTransformersReference(directory, 'q8');
    for (const [index, document] of sampleDocuments.slice(0, 4).entries()) {
      const alone = await logitsInOrder(stage, [document]);
      expect(alone[0]).toBe(together[index]);
      const [expected] = await reference.logits(sampleQuery, [document]);
      expect(Math.abs((alone[0] as number) - (expected as number))).toBeLessThanOrEqual(1e-5);
    }
  });

  test('batched q8 scores depend on the batch (one activation scale per batch) but stay near the deterministic ones', async () => {
    const batched = createLocalOnnx().reranker(directory, {
      activation: 'identity',
      dtype: 'q8',
      worker: false,
    });
    const single = createLocalOnnx().reranker(directory, {
      activation: 'identity',
      dtype: 'q8',
      deterministic: true,
      worker: false,
    });
    stages.push(batched, single);
    const fromBatches = await logitsInOrder(batched, sampleDocuments);
    const fromSingles = await logitsInOrder(single, sampleDocuments);
    fromBatches.forEach((score, index) => {
      expect(Math.abs(score - (fromSingles[index] as number))).toBeLessThan(0.05);
    });
  });
});
