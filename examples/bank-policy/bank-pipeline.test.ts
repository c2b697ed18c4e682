import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingSettingError, recallAtK } from '@twostage/core';
import { createBm25Retriever } from '@twostage/embedded';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  corpusPath,
  createBankPipeline,
  type LabelledQuery,
  type PolicyDocument,
  queriesPath,
} from './bank-pipeline.js';
import { loadJsonl } from './load-jsonl.js';

const questions = await loadJsonl<LabelledQuery>(queriesPath);
const corpus = await loadJsonl<PolicyDocument>(corpusPath);

describe('the bank-policy main job on the embedded default', () => {
  test('stage 1 finds every labelled answer and stage 2 puts it first', async () => {
    const { pipeline, retrieverSource } = await createBankPipeline({ rerankerRef: 'mock' });
    expect(retrieverSource).toContain(`embedded BM25 over ${corpus.length} chunks`);
    for (const { query, relevant } of questions) {
      const result = await pipeline.run(query, { rerankTopN: 20 });
      const stageOne = [...result.results].sort((a, b) => a.retrieveRank - b.retrieveRank);
      expect(
        recallAtK(
          stageOne.map((item) => item.id),
          relevant,
          20,
        ),
        query,
      ).toBe(1);
      expect(result.results[0]?.id, query).toBe(relevant[0]);
      expect(result.degraded).toBe(false);
      // Sorted on the rerank score alone, whatever the stage-1 order was.
      const scores = result.results.map((item) => item.rerankScore ?? Number.NaN);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  test('Vietnamese questions are answered from Vietnamese chunks', async () => {
    const { pipeline } = await createBankPipeline({ rerankerRef: 'mock' });
    const result = await pipeline.run('mất thẻ ghi nợ');
    expect(result.results[0]?.metadata).toMatchObject({ lang: 'vi', topic: 'cards' });
  });
});

describe('configuration alone swaps stage 1', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'twostage-bank-'));
    const index = createBm25Retriever({ analyzer: { stopWords: 'english' } });
    await index.add(corpus);
    await index.save(directory);
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  test('a saved index named by reference answers exactly like the in-memory default', async () => {
    const inMemory = await createBankPipeline({ rerankerRef: 'mock' });
    const fromReference = await createBankPipeline({
      rerankerRef: 'mock',
      retrieverRef: `bm25:${directory}`,
    });
    expect(fromReference.retrieverSource).toBe(`bm25:${directory}`);
    for (const { query } of questions) {
      const expected = await inMemory.pipeline.run(query);
      const actual = await fromReference.pipeline.run(query);
      expect(actual.results.map((item) => [item.id, item.rerankScore, item.retrieveScore])).toEqual(
        expected.results.map((item) => [item.id, item.rerankScore, item.retrieveScore]),
      );
    }
  });

  test('a self-hosted cross-encoder named by reference replaces the hosted one, nothing else changes', async () => {
    // A synthetic BERT cross-encoder the local provider's tests generate (random weights: the
    // order is meaningless, the plumbing is what is checked).
    const modelDirectory = fileURLToPath(
      new URL(
        '../../packages/provider-local-onnx/test/fixtures/models/bert-cross-encoder',
        import.meta.url,
      ),
    );
    const { pipeline, reranker } = await createBankPipeline({
      rerankerRef: `local-onnx:${modelDirectory}`,
    });
    try {
      expect(reranker.provider).toBe('local-onnx');
      const result = await pipeline.run('lost debit card', { rerankTopN: 5 });
      expect(result.degraded).toBe(false);
      const scores = result.results.map((item) => item.rerankScore ?? Number.NaN);
      expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(result.results.map((item) => item.id)).size).toBe(result.results.length);
    } finally {
      await (reranker as { close?: () => Promise<void> }).close?.();
    }
  });

  test('a hosted reranker named by reference is found from the example, and asks for its key', async () => {
    const saved = { cohere: process.env.COHERE_API_KEY, co: process.env.CO_API_KEY };
    delete process.env.COHERE_API_KEY;
    delete process.env.CO_API_KEY;
    try {
      const { pipeline, reranker } = await createBankPipeline({
        rerankerRef: 'cohere:rerank-multilingual-v3.0',
      });
      expect(reranker).toMatchObject({ provider: 'cohere', modelId: 'rerank-multilingual-v3.0' });
      // No key anywhere: the first call fails before any request leaves the process, with the
      // error naming the option and the variable; the demo fails open to stage-1 order.
      const result = await pipeline.run('mất thẻ');
      expect(result.degraded).toBe(true);
      expect(result.results[0]?.rerankScore).toBeNull();
      expect(JSON.stringify(result.warnings)).toContain('COHERE_API_KEY');
      const strict = await createBankPipeline({ rerankerRef: 'cohere:rerank-v3.5' });
      const failure = await strict.pipeline
        .run('mất thẻ', { onRerankError: 'throw' })
        .catch((error: unknown) => error);
      expect(MissingSettingError.isInstance(failure)).toBe(true);
    } finally {
      if (saved.cohere !== undefined) process.env.COHERE_API_KEY = saved.cohere;
      if (saved.co !== undefined) process.env.CO_API_KEY = saved.co;
    }
  });
});
