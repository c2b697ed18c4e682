import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockEmbeddingModel } from '@twostage/core/mock';
import type { ConformanceDocument } from '@twostage/core/testing';
import { retrieveStageTests } from '@twostage/core/testing';
import { afterAll, describe, test } from 'vitest';
import {
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  type EmbeddedRetriever,
  loadEmbeddedRetriever,
} from '../src/index.js';

async function fill<R extends EmbeddedRetriever>(
  retriever: R,
  corpus: ConformanceDocument[],
): Promise<R> {
  const byNamespace = new Map<string, ConformanceDocument[]>();
  for (const { namespace = '', ...document } of corpus) {
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), document]);
  }
  for (const [namespace, documents] of byNamespace) await retriever.add(documents, { namespace });
  return retriever;
}

const model = () => new MockEmbeddingModel({ dimensions: 128 });
const factories = {
  bm25: () => createBm25Retriever(),
  vector: () => createVectorRetriever({ embeddingModel: model() }),
  hybrid: () =>
    createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model() }),
    }),
};
const capabilities = {
  bm25: { namespaces: true, unicodeNormalization: true },
  vector: { namespaces: true },
  hybrid: { namespaces: true, unicodeNormalization: true },
};

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

for (const kind of ['bm25', 'vector', 'hybrid'] as const) {
  describe(`${kind} retriever conformance`, () => {
    retrieveStageTests(test, (corpus) => fill(factories[kind](), corpus), capabilities[kind]);
  });

  describe(`${kind} retriever conformance after save and load`, () => {
    retrieveStageTests(
      test,
      async (corpus) => {
        const directory = await mkdtemp(join(tmpdir(), `twostage-conformance-${kind}-`));
        directories.push(directory);
        const retriever = await fill(factories[kind](), corpus);
        await retriever.save(directory);
        return loadEmbeddedRetriever(directory, { kind, embeddingModel: model() });
      },
      capabilities[kind],
    );
  });
}
