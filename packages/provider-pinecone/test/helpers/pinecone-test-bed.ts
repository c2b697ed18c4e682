import type { ConformanceDocument } from '@twostage/core/testing';
import {
  createPinecone,
  type PineconeProvider,
  type PineconeProviderSettings,
} from '../../src/index.js';
import type { EmulatedMetric, IntegratedEmbedding } from '../emulator/emulator-index.js';
import { type PineconeEmulator, startPineconeEmulator } from '../emulator/pinecone-emulator.js';

/** An emulator and a provider pointed at it. */
export type PineconeTestBed = {
  emulator: PineconeEmulator;
  provider: PineconeProvider;
  /** A fresh index with a unique name. */
  createIndex(options?: {
    dimension?: number;
    metric?: EmulatedMetric;
    integrated?: IntegratedEmbedding;
  }): Promise<string>;
  close(): Promise<void>;
};

let indexCounter = 0;

/** Starts an emulator and a provider using it (through the control plane, like production). */
export async function startTestBed(
  settings: PineconeProviderSettings = {},
): Promise<PineconeTestBed> {
  const emulator = await startPineconeEmulator();
  const provider = createPinecone({
    apiKey: emulator.apiKey,
    controllerHostUrl: emulator.controllerHostUrl,
    ...settings,
  });
  return {
    emulator,
    provider,
    async createIndex({ dimension = 1024, metric = 'cosine', integrated } = {}) {
      indexCounter += 1;
      const name = `test-index-${indexCounter}`;
      await emulator.createIndex({
        name,
        dimension,
        metric,
        ...(integrated === undefined ? {} : { integrated }),
      });
      return name;
    },
    close: () => emulator.close(),
  };
}

/** Groups conformance documents by namespace (`undefined` is the default namespace). */
export function byNamespace(
  corpus: readonly ConformanceDocument[],
): Map<string | undefined, ConformanceDocument[]> {
  const groups = new Map<string | undefined, ConformanceDocument[]>();
  for (const document of corpus) {
    const group = groups.get(document.namespace) ?? [];
    group.push(document);
    groups.set(document.namespace, group);
  }
  return groups;
}

/** The documents of a conformance corpus, as `upsertDocuments` takes them. */
export function toPineconeDocuments(corpus: readonly ConformanceDocument[]) {
  return corpus.map(({ id, text, metadata }) => ({
    id,
    text,
    ...(metadata === undefined ? {} : { metadata }),
  }));
}
