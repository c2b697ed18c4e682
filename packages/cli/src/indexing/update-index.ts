import { relative, resolve, sep } from 'node:path';
import { type EmbeddingModelV1, resolveEmbeddingModel, throwIfAborted } from '@twostage/core';
import {
  type AnyEmbeddedRetriever,
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  IndexFormatError,
  loadEmbeddedRetriever,
} from '@twostage/embedded';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { engineDirectoryOf } from '../open-index.js';
import { type ChunkingSettings, sameChunking } from './chunking-settings.js';
import { collectSources } from './collect-sources.js';
import { commitIndex } from './commit-index.js';
import {
  type IndexedSource,
  type IndexManifest,
  indexManifestFormat,
  indexManifestVersion,
} from './index-manifest.js';
import { createIndexProgress, type ProgressMode } from './index-progress.js';
import { readPreviousIndex, withKnownSources } from './previous-index.js';
import { readSources } from './read-sources.js';
import { supportedExtensions } from './source-kind.js';

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
  const previous = await readPreviousIndex(outDirectory, options.out);
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

    const { unchanged, changed } = await readSources(inputs, {
      previous,
      rebuild,
      chunking,
      progress,
      signal: context.signal,
    });

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
      state: 'complete',
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
    await commitIndex(outDirectory, manifest, retriever);
    return summary;
  } catch (error) {
    // Before the commit, an abort (whatever error it surfaced as) has written nothing.
    if (context.signal.aborted && !committing) throw interrupted(options.out, error);
    throw error;
  } finally {
    progress.stop();
  }
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

function interrupted(out: string, cause: unknown): CliError {
  return new CliError(`interrupted: nothing was written; the index in '${out}' is as it was.`, {
    hint: 'Run the same command again to index.',
    cause,
  });
}
