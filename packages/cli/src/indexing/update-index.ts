import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { type EmbeddingModelV1, resolveEmbeddingModel, throwIfAborted } from '@twostage/core';
import {
  type AnyEmbeddedRetriever,
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  type EmbeddedDocument,
  IndexFormatError,
  loadEmbeddedRetriever,
} from '@twostage/embedded';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { engineDirectoryOf } from '../open-index.js';
import { type ChunkingSettings, sameChunking } from './chunking-settings.js';
import { collectSources, type SourceFile, unreadable } from './collect-sources.js';
import {
  type IndexedSource,
  type IndexManifest,
  indexManifestFormat,
  indexManifestVersion,
  readIndexManifest,
  writeIndexManifest,
} from './index-manifest.js';
import { createIndexProgress, type ProgressMode } from './index-progress.js';
import { readSourceDocuments } from './read-source-documents.js';
import { sourceKindOf, supportedExtensions } from './source-kind.js';

/** What to index and how (flags already merged with the environment). */
export type UpdateIndexOptions = {
  /** Files and folders, relative to the context's cwd. */
  paths: readonly string[];
  /** The index directory, as the user wrote it. */
  out: string;
  /** Chunking flags; what is absent comes from the existing index, else the defaults. */
  chunking: (previous: ChunkingSettings | undefined) => ChunkingSettings;
  /**
   * The embedding model reference for a hybrid index; `null` for lexical only; `undefined` to
   * keep what the existing index uses (lexical only for a new one).
   */
  embeddingModel: string | null | undefined;
  /** How progress is shown on stderr. */
  progress: ProgressMode;
};

/** What one `twostage index` run did. */
export type IndexUpdateSummary = {
  /** Source files by what happened to them. */
  files: { added: number; updated: number; removed: number; unchanged: number };
  /** Documents written (chunks of added and updated files), dropped (their old ones), in the index. */
  chunks: { written: number; dropped: number; total: number };
  /** `bm25` or `hybrid`. */
  engineKind: 'bm25' | 'hybrid';
  /** The embedding model of a hybrid index. */
  embeddingModel: string | undefined;
  /** Why every source was indexed again, when that happened to an existing index. */
  rebuildReason: string | undefined;
  /** Files of unsupported types left out of the given folders, by extension. */
  skipped: Map<string, number>;
  /** Whether nothing changed, so nothing was written. */
  upToDate: boolean;
};

/** Documents are written in batches of this many: progress moves and Ctrl-C is seen between them. */
const writeBatchSize = 256;

/** A source read in this run because it is new or changed. */
type ChangedSource = {
  source: SourceFile;
  status: 'added' | 'updated';
  sha256: string;
  bytes: number;
  documents: EmbeddedDocument[];
  previous: IndexedSource | undefined;
};

/**
 * Indexes the given files and folders into `out`, re-reading only sources whose content hash
 * (or, for chunked kinds, the chunking) changed and dropping the documents of sources that no
 * longer exist. Every source the index already holds is checked, given on this run or not.
 *
 * The previous index stays intact until the end: all work happens in memory, an abort (Ctrl-C)
 * before the final step writes nothing, and the final step marks the manifest `writing`, saves
 * the engine (atomic by itself) and marks the manifest `complete`, ignoring aborts meanwhile.
 *
 * @throws CliError for bad paths, unreadable or malformed files, duplicate ids, an `out` that is
 *   a file or a foreign folder, and an interruption
 */
export async function updateIndex(
  options: UpdateIndexOptions,
  context: CliContext,
): Promise<IndexUpdateSummary> {
  const outDirectory = resolve(context.cwd, options.out);
  const previous = await previousIndex(outDirectory, options.out);
  const root = previous === undefined ? context.cwd : resolve(outDirectory, previous.root);
  const chunking = options.chunking(previous?.chunking);
  const embeddingModelRef =
    options.embeddingModel === undefined
      ? previous?.engine.embeddingModel
      : (options.embeddingModel ?? undefined);
  const engineKind = embeddingModelRef === undefined ? 'bm25' : 'hybrid';

  const collected = await collectSources(options.paths, {
    cwd: context.cwd,
    root,
    exclude: [outDirectory],
  });
  const { inputs, removed } = await withKnownSources(collected.files, previous, root);
  if (inputs.length === 0 && previous === undefined) {
    throw new CliError(
      `found no files to index in ${options.paths.map((path) => `'${path}'`).join(', ')}.`,
      {
        hint: `Give files or folders holding ${supportedExtensions} files.`,
      },
    );
  }

  const progress = await createIndexProgress(options.progress, context.stderr);
  let committing = false;
  try {
    const embeddingModel =
      embeddingModelRef === undefined
        ? undefined
        : await resolveEmbeddingModel(embeddingModelRef, { cwd: context.cwd });
    let rebuildReason = rebuildReasonOf(previous, engineKind, embeddingModelRef);
    let retriever: AnyEmbeddedRetriever | undefined;
    if (rebuildReason === undefined) {
      try {
        retriever = await loadEmbeddedRetriever(
          engineDirectoryOf(outDirectory),
          embeddingModel === undefined ? {} : { embeddingModel },
        );
      } catch (error) {
        if (!IndexFormatError.isInstance(error)) throw error;
        rebuildReason = `its engine files could not be loaded (${error.reason})`;
      }
    }
    retriever ??= createEngine(embeddingModel, embeddingModelRef);
    const rebuild = rebuildReason !== undefined;

    const previousByPath = new Map(previous?.sources.map((source) => [source.path, source]));
    const unchanged: IndexedSource[] = [];
    const changed: ChangedSource[] = [];
    progress.start('reading', inputs.length, 'files');
    for (const source of inputs) {
      throwIfAborted(context.signal);
      const bytes = await readBytes(source);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const known = previousByPath.get(source.path);
      const same =
        !rebuild &&
        known !== undefined &&
        known.sha256 === sha256 &&
        known.kind === source.kind &&
        (source.kind === 'jsonl' ||
          (previous !== undefined && sameChunking(previous.chunking, chunking)));
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
      progress.advance(1);
    }
    assertUniqueIds(unchanged, changed);

    const summary: IndexUpdateSummary = {
      files: {
        added: changed.filter((entry) => entry.status === 'added').length,
        updated: changed.filter((entry) => entry.status === 'updated').length,
        removed: removed.length,
        unchanged: unchanged.length,
      },
      chunks: {
        written: changed.reduce((total, entry) => total + entry.documents.length, 0),
        dropped: [...removed, ...changed.map((entry) => entry.previous)].reduce(
          (total, source) => total + (source?.chunkIds.length ?? 0),
          0,
        ),
        total: 0,
      },
      engineKind,
      embeddingModel: embeddingModelRef,
      rebuildReason: previous === undefined ? undefined : rebuildReason,
      skipped: collected.skipped,
      upToDate: false,
    };
    if (
      !rebuild &&
      changed.length === 0 &&
      removed.length === 0 &&
      previous !== undefined &&
      sameChunking(previous.chunking, chunking)
    ) {
      summary.chunks.total = retriever.size();
      summary.upToDate = true;
      return summary;
    }

    if (!rebuild) {
      const stale = [...removed, ...changed.flatMap((entry) => entry.previous ?? [])];
      await retriever.delete(stale.flatMap((source) => source.chunkIds));
    }
    const documents = changed.flatMap((entry) => entry.documents);
    progress.start('indexing', documents.length, 'chunks');
    for (let offset = 0; offset < documents.length; offset += writeBatchSize) {
      throwIfAborted(context.signal);
      const batch = documents.slice(offset, offset + writeBatchSize);
      await retriever.upsert(batch, { abortSignal: context.signal });
      progress.advance(batch.length);
    }
    throwIfAborted(context.signal);
    progress.stop();

    // From here on the run finishes even if interrupted: the commit is short, and stopping in
    // the middle of it is what the `writing` state guards against.
    const sources = [
      ...unchanged,
      ...changed.map(
        (entry): IndexedSource => ({
          path: entry.source.path,
          kind: entry.source.kind,
          sha256: entry.sha256,
          bytes: entry.bytes,
          chunkIds: entry.documents.map((document) => document.id),
        }),
      ),
    ].sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
    summary.chunks.total = retriever.size();
    const manifest: IndexManifest = {
      format: indexManifestFormat,
      version: indexManifestVersion,
      state: 'writing',
      updatedAt: new Date().toISOString(),
      root: relative(outDirectory, root).split(sep).join('/') || '.',
      engine:
        embeddingModelRef === undefined
          ? { kind: 'bm25' }
          : { kind: 'hybrid', embeddingModel: embeddingModelRef },
      chunking,
      counts: { sources: sources.length, documents: summary.chunks.total },
      sources,
    };
    committing = true;
    await mkdir(outDirectory, { recursive: true });
    await writeIndexManifest(outDirectory, manifest);
    await retriever.save(engineDirectoryOf(outDirectory));
    await writeIndexManifest(outDirectory, { ...manifest, state: 'complete' });
    return summary;
  } catch (error) {
    // Before the commit, an abort (whatever error it surfaced as) has written nothing.
    if (context.signal.aborted && !committing) throw interrupted(options.out, error);
    throw error;
  } finally {
    progress.stop();
  }
}

/**
 * The manifest of the index already in `directory`, or `undefined` when the directory does not
 * exist or is empty.
 *
 * @throws CliError when `directory` is a file, or a folder with other content than an index
 */
async function previousIndex(directory: string, shown: string): Promise<IndexManifest | undefined> {
  const stats = await stat(directory).catch(() => undefined);
  if (stats === undefined) return undefined;
  if (!stats.isDirectory()) {
    throw new CliError(`--out '${shown}' is a file, not a directory.`, {
      hint: 'Give --out a new directory (it is created) or one that holds a twostage index.',
    });
  }
  const manifest = await readIndexManifest(directory, shown);
  if (manifest !== undefined) return manifest;
  const entries = await readdir(directory);
  if (entries.length > 0) {
    throw new CliError(
      `--out '${shown}' is a folder that holds no twostage index; it is left untouched.`,
      {
        hint: 'Give --out a new or empty directory, or one that twostage index wrote before.',
      },
    );
  }
  return undefined;
}

/**
 * Adds the sources the index already holds that were not among the given paths: checked again
 * where they still exist, dropped where they do not.
 */
async function withKnownSources(
  found: readonly SourceFile[],
  previous: IndexManifest | undefined,
  root: string,
): Promise<{ inputs: SourceFile[]; removed: IndexedSource[] }> {
  const inputs = new Map(found.map((source) => [source.path, source]));
  const removed: IndexedSource[] = [];
  for (const source of previous?.sources ?? []) {
    if (inputs.has(source.path)) continue;
    const absolutePath = resolve(root, source.path);
    const stats = await stat(absolutePath).catch(() => undefined);
    const kind = sourceKindOf(absolutePath);
    if (stats?.isFile() === true && kind !== undefined) {
      inputs.set(source.path, { absolutePath, path: source.path, kind });
    } else removed.push(source);
  }
  const sorted = [...inputs.values()].sort((left, right) =>
    left.path < right.path ? -1 : left.path > right.path ? 1 : 0,
  );
  return { inputs: sorted, removed };
}

/** Why the whole index must be built again from its sources, or `undefined` when it need not. */
function rebuildReasonOf(
  previous: IndexManifest | undefined,
  engineKind: 'bm25' | 'hybrid',
  embeddingModelRef: string | undefined,
): string | undefined {
  if (previous === undefined) return 'it is new';
  if (previous.state !== 'complete') return 'the previous run was stopped while saving';
  if (previous.engine.kind !== engineKind || previous.engine.embeddingModel !== embeddingModelRef) {
    return `the embedding model changed (${previous.engine.embeddingModel ?? 'none'} → ${embeddingModelRef ?? 'none'})`;
  }
  return undefined;
}

function createEngine(
  embeddingModel: EmbeddingModelV1 | undefined,
  embeddingModelRef: string | undefined,
): AnyEmbeddedRetriever {
  const lexical = createBm25Retriever();
  if (embeddingModel === undefined || embeddingModelRef === undefined) return lexical;
  return createHybridRetriever({
    lexical,
    vector: createVectorRetriever({ embeddingModel, embeddingModelRef }),
  });
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
  for (const entry of changed)
    for (const document of entry.documents) claim(document.id, entry.source.path);
}

function interrupted(out: string, cause: unknown): CliError {
  return new CliError(`interrupted: nothing was written; the index in '${out}' is as it was.`, {
    hint: 'Run the same command again to index.',
    cause,
  });
}
