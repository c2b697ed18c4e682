import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, rerank } from '@twostage/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOnnx, type LocalOnnxRerankStage } from '../src/index.js';
import { tinyCrossEncoder, writeSyntheticModel } from '../src/testing/index.js';
import { fixtureModel, sampleDocuments } from './fixture-models.js';

// A synthetic BERT cross-encoder reading 64 tokens: beside a 3-token query and [CLS] [SEP] [SEP],
// 58 document tokens fit. Its seeded weights score a run of `book` highest and a run of `read`
// lowest among the vocabulary's whole words (each word is one token), which stands in for a
// relevant passage and filler.
let directory: string;
let model: LocalOnnxRerankStage;
const query = 'bank loan rate';
const run = (word: string, count: number) => Array.from({ length: count }, () => word).join(' ');
const filler = run('read', 160);
const longDocument = `${filler} ${run('book', 40)}`;
const rival = run('card', 40);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'twostage-long-documents-'));
  await writeSyntheticModel(
    directory,
    tinyCrossEncoder({ maxPositionEmbeddings: 64, modelMaxLength: 64, seed: 21 }),
  );
  model = createLocalOnnx().reranker(directory, { worker: false });
});

afterAll(async () => {
  await model?.close();
  await rm(directory, { recursive: true, force: true });
});

const truncationWarnings = (warnings: readonly { type: string }[]) =>
  warnings.filter((warning) => JSON.stringify(warning).includes('were truncated'));

describe('local ONNX: chunk-max with the model’s tokenizer', () => {
  test('a document whose relevant passage lies past the truncation point ranks first by it', async () => {
    const documents = [rival, longDocument];
    const truncated = await rerank({ model, query, documents });
    expect(truncated.ranking.map(({ index }) => index)).toEqual([0, 1]);
    expect(truncationWarnings(truncated.warnings)).toHaveLength(1);

    const chunked = await rerank({
      model,
      query,
      documents,
      longDocuments: { strategy: 'chunk-max', overlap: 0, maxWindowTokens: 20 },
    });
    expect(chunked.ranking.map(({ index }) => index)).toEqual([1, 0]);
    const best = chunked.ranking[0];
    // Windows of 20 one-token words: 8 of filler, then the two runs of `book`.
    expect(best?.chunk).toEqual({ start: filler.length + 1, end: filler.length + 100 });
    expect(truncationWarnings(chunked.warnings)).toEqual([]);
    // maxWindowTokens holds for every document: the 40-word rival is two windows as well.
    expect(chunked.usage.windows).toBe(12);

    // The passage, reranked alone, gives the same score; the document's head gives the lower one.
    const passage = longDocument.slice(best?.chunk?.start, best?.chunk?.end);
    expect(passage).toBe(run('book', 20));
    const alone = await rerank({ model, query, documents: [passage] });
    expect(alone.ranking[0]?.score).toBeCloseTo(best?.score as number, 6);
    expect(best?.score).toBeGreaterThan(chunked.ranking[1]?.score as number);
    expect(chunked.ranking[1]?.score).toBeGreaterThan(truncated.ranking[1]?.score as number);
  });

  test('usage counts the tokens of every window', async () => {
    const chunked = await rerank({
      model,
      query,
      documents: [longDocument],
      longDocuments: { strategy: 'chunk-max', overlap: 5, maxWindowTokens: 30 },
    });
    const windows = await model.planLongDocumentWindows({
      query,
      texts: [longDocument],
      overlap: 5,
      maxWindowTokens: 30,
    });
    const texts = (windows.windows[0] ?? []).map(({ start, end }) =>
      longDocument.slice(start, end),
    );
    const each = await rerank({ model, query, documents: texts });
    expect(chunked.usage.windows).toBe(texts.length);
    // 30 words per window, the next starting 5 words back: 200 words make 8 windows.
    expect(texts.length).toBe(8);
    expect(chunked.usage.inputTokens).toBe(each.usage.inputTokens);
    expect(chunked.usage.inputTokens).toBe(8 * 6 + 30 * 7 + (200 - 7 * 25));
  });

  test.each([
    ['a generated BERT model (64 tokens)', () => model],
    [
      'the generated model with only_second truncation',
      () =>
        createLocalOnnx().reranker(directory, {
          worker: false,
          truncation: 'only_second',
          queryMaxTokens: 3,
        }),
    ],
    [
      'the XLM-R fixture (128 tokens)',
      () =>
        createLocalOnnx().reranker(fixtureModel('xlm-roberta-cross-encoder'), { worker: false }),
    ],
  ])(
    'windows of %s fill the input exactly: each fits alone, one more word would not',
    async (_name, stageOf) => {
      const stage = stageOf();
      try {
        const text = Array.from({ length: 6 }, () => sampleDocuments.join(' ')).join('\n');
        const { windows } = await stage.planLongDocumentWindows({
          query,
          texts: [text],
          overlap: 4,
        });
        const spans = windows[0] ?? [];
        expect(spans.length).toBeGreaterThan(2);
        for (const [position, { start, end }] of spans.entries()) {
          const alone = await rerank({ model: stage, query, documents: [text.slice(start, end)] });
          expect(truncationWarnings(alone.warnings), `window ${position}`).toEqual([]);
          if (position === spans.length - 1) continue;
          // The window plus the next word is over the limit (windows are as long as fit).
          const nextWordEnd = text.slice(end).search(/\S(?=\s|$)/u);
          const longer = text.slice(start, end + nextWordEnd + 1);
          const extended = await rerank({ model: stage, query, documents: [longer] });
          expect(truncationWarnings(extended.warnings), `window ${position} + 1 word`).toHaveLength(
            1,
          );
        }
      } finally {
        if (stage !== model) await stage.close();
      }
    },
  );

  test('an overlap that does not fit the window is a typed error naming the option', async () => {
    const error = await rerank({
      model,
      query,
      documents: [longDocument],
      longDocuments: { strategy: 'chunk-max', overlap: 58 },
    }).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('longDocuments.overlap');
  });

  test('an aborted planning rejects with an AbortedError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rerank({
      model,
      query,
      documents: [longDocument],
      abortSignal: controller.signal,
      longDocuments: { strategy: 'chunk-max' },
    }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortedError');
  });
});
