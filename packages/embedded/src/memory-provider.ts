import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DocumentMetadata, ProviderModuleV1, ResolveOptions } from '@twostage/core';
import { InvalidArgumentError } from '@twostage/core';
import { type Bm25Retriever, createBm25Retriever } from './bm25-retriever.js';
import { createHybridRetriever, type HybridRetriever } from './hybrid-retriever.js';
import { createVectorRetriever } from './vector-retriever.js';

/** One line of a corpus file for `memory:<file>`. */
type CorpusLine = { id: string; text: string; metadata?: DocumentMetadata };

/**
 * Reads a JSON Lines corpus (`{"id": "...", "text": "...", "metadata": {...}}` per line; blank
 * lines skipped). A line that is not such an object is an error naming the file and the line.
 */
async function readCorpus(path: string): Promise<CorpusLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError({
      argument: 'ref',
      message: `memory: cannot read the corpus file '${path}': ${(error as Error).message}`,
    });
  }
  const documents: CorpusLine[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidArgumentError({
        argument: 'ref',
        message: `memory: line ${index + 1} of '${path}' is not JSON: ${(error as Error).message}`,
      });
    }
    const record = value as Partial<CorpusLine> | null;
    if (
      record === null ||
      typeof record !== 'object' ||
      typeof record.id !== 'string' ||
      typeof record.text !== 'string'
    ) {
      throw new InvalidArgumentError({
        argument: 'ref',
        message: `memory: line ${index + 1} of '${path}' needs a string "id" and a string "text".`,
      });
    }
    documents.push(
      record.metadata === undefined
        ? { id: record.id, text: record.text }
        : { id: record.id, text: record.text, metadata: record.metadata },
    );
  }
  return documents;
}

/**
 * The built-in `memory` retriever: an in-process index that is never saved. `memory` alone is an
 * empty index to fill with `add` / `upsert`; `memory:<corpus.jsonl>` (relative to `cwd`) loads a
 * JSON Lines corpus at resolve time. BM25, or BM25 + vectors fused (hybrid) when an
 * `embeddingModel` is passed in the resolve options. For a large corpus, build and `save` an
 * index once and serve it with `bm25:<dir>` / `hybrid:<dir>`: loading is much faster than indexing.
 */
export const memoryProvider = {
  async retriever(
    modelId: string | undefined,
    options: ResolveOptions = {},
  ): Promise<Bm25Retriever | HybridRetriever> {
    const retriever =
      options.embeddingModel === undefined
        ? createBm25Retriever()
        : createHybridRetriever({
            lexical: createBm25Retriever(),
            vector: createVectorRetriever({ embeddingModel: options.embeddingModel }),
          });
    if (modelId !== undefined && modelId !== '') {
      await retriever.add(await readCorpus(resolve(options.cwd ?? process.cwd(), modelId)));
    }
    return retriever;
  },
} satisfies ProviderModuleV1;
