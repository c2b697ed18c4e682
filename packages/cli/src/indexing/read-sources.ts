import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { throwIfAborted } from '@twostage/core';
import type { EmbeddedDocument } from '@twostage/embedded';
import { CliError } from '../cli-error.js';
import { type ChunkingSettings, sameChunking } from './chunking-settings.js';
import { type SourceFile, unreadable } from './collect-sources.js';
import type { IndexedSource, IndexManifest } from './index-manifest.js';
import type { IndexProgress } from './index-progress.js';
import { readSourceDocuments } from './read-source-documents.js';

/** A source read in this run because it is new or changed. */
export type ChangedSource = {
  source: SourceFile;
  status: 'added' | 'updated';
  /** SHA-256 of its bytes (hex). */
  sha256: string;
  bytes: number;
  documents: EmbeddedDocument[];
  /** What the previous manifest recorded of it. */
  previous: IndexedSource | undefined;
};

/**
 * Reads and hashes every input, and turns into documents only those that are new or changed:
 * a source is unchanged when its hash and kind equal the manifest's and, for the chunked kinds,
 * the chunking is the same (JSONL records are not chunked). With `rebuild`, every source is
 * read. Document ids must be unique across the whole index.
 *
 * @throws CliError for an unreadable or malformed file, or an id used twice
 * @throws AbortedError when `signal` fires (checked between files)
 */
export async function readSources(
  inputs: readonly SourceFile[],
  options: {
    previous: IndexManifest | undefined;
    rebuild: boolean;
    chunking: ChunkingSettings;
    progress: IndexProgress;
    signal: AbortSignal;
  },
): Promise<{ unchanged: IndexedSource[]; changed: ChangedSource[] }> {
  const { previous, chunking } = options;
  const previousByPath = new Map(previous?.sources.map((source) => [source.path, source]));
  const sameChunks = previous !== undefined && sameChunking(previous.chunking, chunking);
  const unchanged: IndexedSource[] = [];
  const changed: ChangedSource[] = [];
  options.progress.start('reading', inputs.length, 'files');
  for (const source of inputs) {
    throwIfAborted(options.signal);
    const bytes = await readBytes(source);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const known = previousByPath.get(source.path);
    const same =
      !options.rebuild &&
      known?.sha256 === sha256 &&
      known.kind === source.kind &&
      (source.kind === 'jsonl' || sameChunks);
    if (same) unchanged.push(known);
    else {
      changed.push({
        source,
        status: known === undefined ? 'added' : 'updated',
        sha256,
        bytes: bytes.length,
        documents: await readSourceDocuments(source, bytes, chunking),
        previous: known,
      });
    }
    options.progress.advance(1);
  }
  assertUniqueIds(unchanged, changed);
  return { unchanged, changed };
}

async function readBytes(source: SourceFile): Promise<Uint8Array> {
  try {
    return await readFile(source.absolutePath);
  } catch (error) {
    throw unreadable(source.path, error);
  }
}

/**
 * Every document id once in the whole index: a JSONL record's id may not repeat one of another
 * file, nor a chunk id.
 *
 * @throws CliError naming the id and both sources
 */
function assertUniqueIds(
  unchanged: readonly IndexedSource[],
  changed: readonly ChangedSource[],
): void {
  const owners = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const owner = owners.get(id);
    if (owner !== undefined) {
      throw new CliError(`the document id '${id}' appears in both '${owner}' and '${path}'.`, {
        hint: 'Ids must be unique across the index: rename one of the records, or index the files into separate indexes.',
      });
    }
    owners.set(id, path);
  };
  for (const source of unchanged) for (const id of source.chunkIds) claim(id, source.path);
  for (const entry of changed) {
    for (const document of entry.documents) claim(document.id, entry.source.path);
  }
}
