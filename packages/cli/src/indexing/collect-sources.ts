import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { CliError } from '../cli-error.js';
import { type SourceKind, sourceKindOf, supportedExtensions } from './source-kind.js';

/** A file to index. */
export type SourceFile = {
  /** Where it is. */
  absolutePath: string;
  /** Its path relative to the index's root, with `/` separators: the base of its chunk ids. */
  path: string;
  /** How it is read. */
  kind: SourceKind;
};

/** What {@link collectSources} found. */
export type CollectedSources = {
  /** The files to index, sorted by path, each once. */
  files: SourceFile[];
  /** Files inside the given folders that were left out for their extension, by extension. */
  skipped: Map<string, number>;
};

/** A path relative to `root`, with `/` separators whatever the platform. */
export function sourcePathOf(root: string, absolutePath: string): string {
  return relative(root, absolutePath).split(sep).join('/');
}

/**
 * Finds the files to index under the given paths (relative to `cwd`): a file is taken when its
 * extension is supported (else it is an error, since it was named), a folder is searched
 * recursively for supported files (others are counted as skipped; hidden entries, whose names
 * start with `.`, and the folders in `exclude` are left out).
 *
 * @throws CliError when a path does not exist, cannot be read, or is a file of an unsupported type
 */
export async function collectSources(
  paths: readonly string[],
  options: { cwd: string; root: string; exclude: readonly string[] },
): Promise<CollectedSources> {
  const files = new Map<string, SourceFile>();
  const skipped = new Map<string, number>();
  const visited = new Set<string>();
  const excluded = new Set(options.exclude.map((path) => resolve(path)));

  const addFile = (absolutePath: string, kind: SourceKind) => {
    files.set(absolutePath, { absolutePath, path: sourcePathOf(options.root, absolutePath), kind });
  };

  const walk = async (directory: string, shown: string): Promise<void> => {
    const real = await realpath(directory);
    // A folder reached twice (through a link that points back up) is searched once.
    if (visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw unreadable(shown, error);
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolutePath = join(directory, entry.name);
      const entryShown = join(shown, entry.name);
      if (excluded.has(absolutePath)) continue;
      const stats = await statOrThrow(absolutePath, entryShown);
      if (stats.isDirectory()) {
        await walk(absolutePath, entryShown);
        continue;
      }
      const kind = sourceKindOf(entry.name);
      if (kind === undefined) {
        const extension = extname(entry.name).toLowerCase() || '(none)';
        skipped.set(extension, (skipped.get(extension) ?? 0) + 1);
        continue;
      }
      if (!stats.isFile()) throw notAFile(entryShown);
      addFile(absolutePath, kind);
    }
  };

  for (const path of paths) {
    const absolutePath = resolve(options.cwd, path);
    const stats = await statOrThrow(absolutePath, path);
    if (stats.isDirectory()) {
      await walk(absolutePath, path);
      continue;
    }
    const kind = sourceKindOf(absolutePath);
    if (kind === undefined) {
      throw new CliError(
        `cannot index '${path}': files of type '${extname(path) || '(no extension)'}' are not supported.`,
        { hint: `Index files of these types: ${supportedExtensions} (folders skip other files).` },
      );
    }
    if (!stats.isFile()) throw notAFile(path);
    addFile(absolutePath, kind);
  }
  const sorted = [...files.values()].sort((left, right) =>
    left.path < right.path ? -1 : left.path > right.path ? 1 : 0,
  );
  return { files: sorted, skipped };
}

async function statOrThrow(absolutePath: string, shown: string): Promise<Stats> {
  try {
    return await stat(absolutePath);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new CliError(`'${shown}' does not exist (or is a link to nothing).`, {
        hint: 'Check the path; relative paths are read from the current directory.',
        cause: error,
      });
    }
    throw unreadable(shown, error);
  }
}

/** The error for a path the process may not read. */
export function unreadable(shown: string, error: unknown): CliError {
  const code = (error as { code?: unknown }).code;
  return new CliError(
    `cannot read '${shown}': ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? error.message : String(error)}.`,
    { hint: 'Make the file readable, or index without it.', cause: error },
  );
}

function notAFile(shown: string): CliError {
  return new CliError(
    `cannot read '${shown}': it is not a regular file (a pipe, a socket or a device).`,
    {
      hint: 'Index regular files only, or index without it.',
    },
  );
}
