import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import type { SourceFile } from './collect-sources.js';
import { type IndexedSource, type IndexManifest, readIndexManifest } from './index-manifest.js';
import { sourceKindOf } from './source-kind.js';

/**
 * The manifest of the index already in `directory`, or `undefined` when the directory does not
 * exist or is empty.
 *
 * @throws CliError when `directory` is a file, or a folder with other content than an index
 */
export async function readPreviousIndex(
  directory: string,
  shown: string,
): Promise<IndexManifest | undefined> {
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
export async function withKnownSources(
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
