import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  registerProvider,
  resolveEmbeddingModel,
  resolveReranker,
  unregisterProvider,
} from '@twostage/core';
import { describe, expect, test } from 'vitest';
import * as localOnnxPackage from '../src/index.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

describe('package surface', () => {
  test('exports the factory, the default instance, the registry entry, the hub cache helpers and VERSION', () => {
    expect(Object.keys(localOnnxPackage).sort()).toEqual(
      [
        'LocalOnnxEmbeddingModel',
        'LocalOnnxRerankStage',
        'VERSION',
        'createLocalOnnx',
        'hubModelDirectory',
        'localOnnx',
        'modelCacheDirectory',
        'pullHubModel',
        'twostageProvider',
      ].sort(),
    );
    expect(localOnnxPackage.VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('importing the package does not load onnxruntime-node (it loads in the inference worker)', async () => {
    const tsx = pathToFileURL(
      join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
    ).href;
    const script = `
      import { createRequire } from 'node:module';
      const provider = await import(${JSON.stringify(pathToFileURL(join(packageRoot, 'src/index.ts')).href)});
      provider.localOnnx.reranker(${JSON.stringify(fixtureModel('bert-cross-encoder'))});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('onnxruntime'));
      console.log(JSON.stringify(loaded));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@twostage/source', '--import', tsx, '--input-type=module', '-e', script],
      { cwd: packageRoot },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null')).toEqual([]);
  });

  test('twostageProvider builds a working reranker and embedding model from a reference', async () => {
    const stage = localOnnxPackage.twostageProvider.reranker(fixtureModel('bert-cross-encoder'), {
      settings: { worker: false, activation: 'identity' },
    });
    expect(stage.provider).toBe('local-onnx');
    expect(stage.scoreKind).toBe('logit');
    const result = await stage.doRerank({
      query: sampleQuery,
      documents: { type: 'text', values: [...sampleDocuments] },
    });
    expect(result.ranking.map((entry) => entry.index).sort((left, right) => left - right)).toEqual(
      sampleDocuments.map((_, index) => index),
    );
    await (stage as localOnnxPackage.LocalOnnxRerankStage).close();

    const model = localOnnxPackage.twostageProvider.embeddingModel(
      fixtureModel('bert-bi-encoder'),
      { settings: { worker: false } },
    );
    expect(model.dimensions).toBe(32);
    const { embeddings } = await model.doEmbed({ values: ['bank loan'], inputType: 'query' });
    expect(embeddings[0]?.length).toBe(32);
    await (model as localOnnxPackage.LocalOnnxEmbeddingModel).close();
  });

  test('TWOSTAGE_RERANKER=local-onnx:<dir> and TWOSTAGE_EMBEDDING_MODEL resolve through core’s registry', async () => {
    registerProvider('local-onnx', localOnnxPackage.twostageProvider);
    const saved = {
      reranker: process.env.TWOSTAGE_RERANKER,
      embedding: process.env.TWOSTAGE_EMBEDDING_MODEL,
    };
    process.env.TWOSTAGE_RERANKER = `local-onnx:${fixtureModel('xlm-roberta-cross-encoder')}`;
    process.env.TWOSTAGE_EMBEDDING_MODEL = `local-onnx:${fixtureModel('xlm-roberta-bi-encoder')}`;
    try {
      const stage = (await resolveReranker(undefined, {
        settings: { worker: false },
      })) as localOnnxPackage.LocalOnnxRerankStage;
      expect(stage.modelId).toBe(fixtureModel('xlm-roberta-cross-encoder'));
      const result = await stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: ['ngân hàng', 'cat'] },
      });
      expect(result.ranking.map((entry) => entry.index).sort()).toEqual([0, 1]);
      await stage.close();
      const model = (await resolveEmbeddingModel()) as localOnnxPackage.LocalOnnxEmbeddingModel;
      expect(model.dimensions).toBe(32);
      await model.close();
      await expect(resolveReranker('local-onnx')).rejects.toThrow(/needs a model/);
    } finally {
      unregisterProvider('local-onnx');
      for (const [name, value] of [
        ['TWOSTAGE_RERANKER', saved.reranker],
        ['TWOSTAGE_EMBEDDING_MODEL', saved.embedding],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
