import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadHybridRetriever } from '../src/index.js';
import { fixtureDocuments, fixtureModel } from './v1-fixture-documents.js';

const fixture = fileURLToPath(new URL('./fixtures/v1-hybrid', import.meta.url));
const expectedResults = JSON.parse(
  await readFile(
    fileURLToPath(new URL('./fixtures/v1-hybrid-results.json', import.meta.url)),
    'utf8',
  ),
) as Record<string, [string, number][]>;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twostage-format-v1-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('format version 1, as saved before string tables were written in pieces', () => {
  test('loads with every document, its metadata and the same results', async () => {
    const retriever = await loadHybridRetriever(fixture, { embeddingModel: fixtureModel });
    const kept = fixtureDocuments.filter(({ id }) => id !== 'doc-4');
    for (const { id, text, metadata, namespace } of kept) {
      expect(retriever.get(id, { namespace })).toEqual({ id, text, metadata });
    }
    expect(retriever.get('doc-4')).toBeUndefined();
    expect(retriever.size()).toBe(kept.length);
    for (const [key, expected] of Object.entries(expectedResults)) {
      const [namespace, query] = key.split('|') as [string, string];
      const { candidates } = await retriever.doRetrieve({ query, topK: 5, namespace });
      expect(candidates.map(({ id, score }) => [id, score])).toEqual(expected);
    }
  });

  test('saved again, the data file is byte for byte the one the earlier release wrote', async () => {
    const retriever = await loadHybridRetriever(fixture, { embeddingModel: fixtureModel });
    await retriever.save(join(root, 'again'));
    const readManifest = async (directory: string) =>
      JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as {
        dataFile: string;
        version: number;
        sections: unknown;
        crc32: number;
      };
    const before = await readManifest(fixture);
    const after = await readManifest(join(root, 'again'));
    expect(after.version).toBe(1);
    expect(after.sections).toEqual(before.sections);
    expect(after.crc32).toBe(before.crc32);
    expect(await readFile(join(root, 'again', after.dataFile))).toEqual(
      await readFile(join(fixture, before.dataFile)),
    );
  });
});
