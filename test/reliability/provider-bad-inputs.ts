import { rerank } from '@twostage/core';
import { createCohere } from '@twostage/provider-cohere';
import { createLocalOnnx } from '@twostage/provider-local-onnx';
import { createPinecone } from '@twostage/provider-pinecone';
import { fixtureModel } from '../../packages/provider-local-onnx/test/fixture-models.js';
import type { BadInputRow } from './bad-input-row.js';

const iae = (argument?: string) =>
  argument === undefined
    ? { error: 'InvalidArgumentError' }
    : { error: 'InvalidArgumentError', argument };
const model = fixtureModel('bert-cross-encoder');
const reranker = (options: Record<string, unknown>) =>
  createLocalOnnx().reranker(model, options as never);
const embedder = (options: Record<string, unknown>) =>
  createLocalOnnx().embeddingModel(fixtureModel('bert-bi-encoder'), options as never);
const cohere = (settings: Record<string, unknown>) =>
  createCohere({ apiKey: 'test-key-0123456789', ...settings } as never);
const pinecone = (settings: Record<string, unknown>) =>
  createPinecone({ apiKey: 'pcsk_test', ...settings } as never);

/** Bad inputs to the local ONNX, Cohere and Pinecone providers (none of them reaches a network). */
export const providerBadInputs: BadInputRow[] = [
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { devcie: 'cuda' })",
    expect: iae('options.devcie'),
    run: () => reranker({ devcie: 'cuda' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { dtype: 'q3' })",
    expect: iae('options.dtype'),
    run: () => reranker({ dtype: 'q3' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { executionProvider: 'tpu' })",
    expect: iae('options.executionProvider'),
    run: () => reranker({ executionProvider: 'tpu' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { activation: 'relu' })",
    expect: iae('options.activation'),
    run: () => reranker({ activation: 'relu' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { truncation: 'middle' })",
    expect: iae('options.truncation'),
    run: () => reranker({ truncation: 'middle' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { maxLength: 'big' })",
    expect: iae('options.maxLength'),
    run: () => reranker({ maxLength: 'big' }),
  },
  {
    area: 'local-onnx',
    input: 'localOnnx.reranker(dir, { workers: 0 })',
    expect: iae('options.workers'),
    run: () => reranker({ workers: 0 }),
  },
  {
    area: 'local-onnx',
    input: 'localOnnx.reranker(dir, { threads: 1.5 })',
    expect: iae('options.threads'),
    run: () => reranker({ threads: 1.5 }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { modelFile: '' })",
    expect: iae('options.modelFile'),
    run: () => reranker({ modelFile: '' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker(dir, { worker: 'no' })",
    expect: iae('options.worker'),
    run: () => reranker({ worker: 'no' }),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.reranker('')",
    expect: iae('modelIdOrDirectory'),
    run: () => createLocalOnnx().reranker(''),
  },
  {
    area: 'local-onnx',
    input: 'localOnnx.reranker(42)',
    expect: iae('modelIdOrDirectory'),
    run: () => createLocalOnnx().reranker(42 as never),
  },
  {
    area: 'local-onnx',
    input: "localOnnx.embeddingModel(dir, { pooling: 'max' })",
    expect: iae('options.pooling'),
    run: () => embedder({ pooling: 'max' }),
  },
  {
    area: 'local-onnx',
    input: 'localOnnx.embeddingModel(dir, { normalise: true })',
    expect: iae('options.normalise'),
    run: () => embedder({ normalise: true }),
  },
  {
    area: 'local-onnx',
    input: "createLocalOnnx({ cachedir: '/tmp' })",
    expect: iae('settings.cachedir'),
    run: () => createLocalOnnx({ cachedir: '/tmp' } as never),
  },
  {
    area: 'local-onnx',
    input: "createLocalOnnx({ offline: 'yes' })",
    expect: iae('settings.offline'),
    run: () => createLocalOnnx({ offline: 'yes' } as never),
  },
  {
    area: 'local-onnx',
    input: 'a model directory that does not exist',
    expect: { error: 'ModelNotFoundError' },
    run: () =>
      rerank({
        model: createLocalOnnx().reranker('./no/such/model', { worker: false }),
        query: 'q',
        documents: ['d'],
      }),
  },
  {
    area: 'cohere',
    input: "createCohere({ apikey: '…' })",
    expect: iae('settings.apikey'),
    run: () => createCohere({ apikey: 'x' } as never),
  },
  {
    area: 'cohere',
    input: "createCohere({ baseUrl: 'localhost:8080' })",
    expect: iae('baseUrl'),
    run: () => cohere({ baseUrl: 'localhost:8080' }),
  },
  {
    area: 'cohere',
    input: 'createCohere({ timeoutMs: -1 })',
    expect: iae('timeoutMs'),
    run: () => cohere({ timeoutMs: -1 }),
  },
  {
    area: 'cohere',
    input: 'cohere.reranker(id, { max_tokens_per_doc: 512 })',
    expect: iae('options.max_tokens_per_doc'),
    run: () => cohere({}).reranker('rerank-v3.5', { max_tokens_per_doc: 512 } as never),
  },
  {
    area: 'cohere',
    input: 'cohere.reranker(id, { priority: 1000 })',
    expect: iae('options.priority'),
    run: () => cohere({}).reranker('rerank-v3.5', { priority: 1000 }),
  },
  {
    area: 'cohere',
    input: 'cohere.reranker(id, { rankFields: [] })',
    expect: iae('options.rankFields'),
    run: () => cohere({}).reranker('rerank-v3.5', { rankFields: [] }),
  },
  {
    area: 'cohere',
    input: 'cohere.embeddingModel(id, { dimension: 512 })',
    expect: iae('options.dimension'),
    run: () => cohere({}).embeddingModel('embed-v4.0', { dimension: 512 } as never),
  },
  {
    area: 'cohere',
    input: 'providerOptions.cohere.maxTokensPerDocs on a call',
    expect: iae('providerOptions.cohere.maxTokensPerDocs'),
    run: () =>
      rerank({
        model: cohere({ baseUrl: 'http://127.0.0.1:9' }).reranker('rerank-v3.5'),
        query: 'q',
        documents: ['d'],
        maxRetries: 0,
        providerOptions: { cohere: { maxTokensPerDocs: 5 } },
      }),
  },
  {
    area: 'pinecone',
    input: "createPinecone({ apikey: '…' })",
    expect: iae('settings.apikey'),
    run: () => createPinecone({ apikey: 'x' } as never),
  },
  {
    area: 'pinecone',
    input: 'createPinecone({ timeoutMs: 0 })',
    expect: iae('timeoutMs'),
    run: () => pinecone({ timeoutMs: 0 }),
  },
  {
    area: 'pinecone',
    input: 'pinecone.retriever({}) (no index)',
    expect: iae('index'),
    run: () => pinecone({}).retriever({} as never),
  },
  {
    area: 'pinecone',
    input: "pinecone.retriever({ index, namespce: 'x' })",
    expect: iae('options.namespce'),
    run: () => pinecone({}).retriever({ index: 'i', namespce: 'x' } as never),
  },
  {
    area: 'pinecone',
    input: "pinecone.retriever({ index, mode: 'sparse' })",
    expect: iae('mode'),
    run: () => pinecone({}).retriever({ index: 'i', mode: 'sparse' } as never),
  },
];
