import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortedError,
  InvalidArgumentError,
  ModelNotFoundError,
  TwostageError,
} from '@twostage/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOnnx } from '../src/index.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'twostage-local-onnx-errors-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function brokenCopy(
  name: string,
  breakIt: (directory: string) => Promise<void>,
): Promise<string> {
  const directory = join(scratch, name);
  await cp(fixtureModel('bert-cross-encoder'), directory, { recursive: true });
  await breakIt(directory);
  return directory;
}

async function rejection(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const rerankOnce = (
  directory: string,
  options: Parameters<ReturnType<typeof createLocalOnnx>['reranker']>[1] = {},
) => {
  const stage = createLocalOnnx().reranker(directory, { worker: false, ...options });
  return stage
    .doRerank({ query: sampleQuery, documents: { type: 'text', values: [...sampleDocuments] } })
    .finally(() => stage.close());
};

describe('a bad model directory fails with an error naming the file', () => {
  test('missing tokenizer.json', async () => {
    const directory = await brokenCopy('no-tokenizer', (path) => rm(join(path, 'tokenizer.json')));
    const error = await rejection(rerankOnce(directory));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('missing tokenizer.json');
  });

  test('missing ONNX file for the requested dtype', async () => {
    const error = await rejection(
      rerankOnce(fixtureModel('bert-cross-encoder-two-labels'), { dtype: 'q8' }),
    );
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('onnx/model_quantized.onnx');
  });

  test('corrupt (truncated) model.onnx', async () => {
    const directory = await brokenCopy('truncated-onnx', (path) =>
      writeFile(join(path, 'onnx', 'model.onnx'), 'not a protobuf at all'),
    );
    const error = await rejection(rerankOnce(directory));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('onnx/model.onnx');
  });

  test('corrupt config.json', async () => {
    const directory = await brokenCopy('bad-config', (path) =>
      writeFile(join(path, 'config.json'), '{"hidden_size": 32,'),
    );
    const error = await rejection(rerankOnce(directory));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('corrupt config.json');
  });

  test('a directory that does not exist', async () => {
    const error = await rejection(rerankOnce(join(scratch, 'nothing-here')));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('does not exist');
  });

  test('a reference that is neither a directory nor a hub id', async () => {
    const error = await rejection(rerankOnce('not/a/hub/id'));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });

  test('the worker reports the same errors', async () => {
    const directory = await brokenCopy('truncated-onnx-worker', (path) =>
      writeFile(join(path, 'onnx', 'model.onnx'), new Uint8Array(64)),
    );
    const error = await rejection(rerankOnce(directory, { worker: true }));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('onnx/model.onnx');
  });
});

describe('aborts', () => {
  test('an aborted signal rejects before anything loads', async () => {
    const stage = createLocalOnnx().reranker(join(scratch, 'never-loaded'));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      stage.doRerank({
        query: 'q',
        documents: { type: 'text', values: ['d'] },
        abortSignal: controller.signal,
      }),
    );
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  test('an abort in flight rejects with AbortedError and the stage keeps working', async () => {
    const stage = createLocalOnnx().reranker(fixtureModel('bert-cross-encoder'), {
      deterministic: true,
    });
    try {
      await stage.load();
      const controller = new AbortController();
      const values = Array.from(
        { length: 200 },
        (_, index) => sampleDocuments[index % sampleDocuments.length] as string,
      );
      const call = stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values },
        abortSignal: controller.signal,
      });
      controller.abort();
      expect(AbortedError.isInstance(await rejection(call))).toBe(true);
      const after = await stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: ['bank loan'] },
      });
      expect(after.ranking.map((entry) => entry.index)).toEqual([0]);
    } finally {
      await stage.close();
    }
  });
});

describe('execution providers', () => {
  test('CUDA without its provider binaries falls back to the CPU with a message saying how to get them', async () => {
    const directory = fixtureModel('bert-cross-encoder');
    const cpu = await rerankOnce(directory);
    const cuda = await rerankOnce(directory, { executionProvider: 'cuda' });
    const messages = JSON.stringify(cuda.warnings);
    if (messages.includes('falling back')) {
      expect(messages).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
      expect(cuda.ranking).toEqual(cpu.ranking);
    } else {
      // A machine with the CUDA provider installed ran on the GPU: same order, scores close.
      expect(cuda.ranking.map((entry) => entry.index)).toEqual(
        cpu.ranking.map((entry) => entry.index),
      );
    }
  });

  test('without fallback, an unavailable provider is an error', async () => {
    const directory = fixtureModel('bert-cross-encoder');
    const outcome = await rerankOnce(directory, {
      executionProvider: 'cuda',
      fallbackToCpu: false,
    }).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    if ('error' in outcome) {
      expect(TwostageError.isInstance(outcome.error)).toBe(true);
      expect((outcome.error as Error).message).toContain('CUDA');
    } else {
      expect(outcome.result.warnings).toEqual([]);
    }
  });

  test('WebGPU without an adapter falls back to the CPU', async () => {
    const directory = fixtureModel('bert-cross-encoder');
    const cpu = await rerankOnce(directory);
    const webgpu = await rerankOnce(directory, { executionProvider: 'webgpu' });
    expect(webgpu.ranking.map((entry) => entry.index)).toEqual(
      cpu.ranking.map((entry) => entry.index),
    );
    const messages = JSON.stringify(webgpu.warnings);
    if (messages.includes('falling back')) expect(messages).toContain('libvulkan.so.1');
  });
});
