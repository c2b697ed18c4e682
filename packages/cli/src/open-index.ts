import { join, resolve } from 'node:path';
import { type RetrieveStageV1, resolveEmbeddingModel } from '@twostage/core';
import { type AnyEmbeddedRetriever, loadEmbeddedRetriever } from '@twostage/embedded';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';

/**
 * The layout of an index directory written by `twostage index --out <dir>`:
 * - `<dir>/engine/`: the embedded engine's own index (BM25, or hybrid when an embedding model was
 *   configured), saved atomically by the engine;
 * - `<dir>/twostage-index.json`: the CLI's manifest (sources, their hashes and chunk ids, the
 *   chunking settings), written after the engine's save, so an interrupted run leaves the
 *   previous pair in place.
 */
export const indexLayout = {
  engineDirectory: 'engine',
  manifestFile: 'twostage-index.json',
} as const;

/** Where the engine's files of the index at `directory` are. */
export function engineDirectoryOf(directory: string): string {
  return join(directory, indexLayout.engineDirectory);
}

/**
 * Loads the index that `twostage index` wrote to `directory` (relative to the context's cwd) as
 * a stage-1 retriever. A hybrid index embeds queries with the model it recorded, resolved with
 * the same environment as the rest of the CLI.
 *
 * @throws CliError naming the directory and what to run when it holds no index
 */
export async function openIndex(
  directory: string,
  context: CliContext,
): Promise<AnyEmbeddedRetriever & RetrieveStageV1> {
  const absolute = resolve(context.cwd, directory);
  try {
    return await loadEmbeddedRetriever(engineDirectoryOf(absolute), {
      resolveEmbeddingModel: (ref) => resolveEmbeddingModel(ref, { cwd: context.cwd }),
    });
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    if (reason === 'not-an-index') {
      throw new CliError(`'${directory}' holds no twostage index.`, {
        hint: `Build one first: twostage index <files or folders...> --out ${directory}`,
        cause: error,
      });
    }
    throw error;
  }
}
