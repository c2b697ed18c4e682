import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import { indexLayout } from '../open-index.js';
import type { ChunkingSettings } from './chunking-settings.js';
import type { SourceKind } from './source-kind.js';

/** The `format` of `twostage-index.json`. */
export const indexManifestFormat = 'twostage-cli-index';
/** The version of `twostage-index.json` this CLI writes and reads. */
export const indexManifestVersion = 1;

/** One indexed source file, as the manifest records it. */
export type IndexedSource = {
  /** Its path relative to the index's root (`/` separators); chunk ids start with it. */
  path: string;
  /** How it was read. */
  kind: SourceKind;
  /** SHA-256 of its bytes (hex): a file whose hash is unchanged is not read again. */
  sha256: string;
  /** Its size in bytes. */
  bytes: number;
  /** The ids of its documents in the engine, in order: `<path>#<n>`, or a JSONL file's record ids. */
  chunkIds: string[];
};

/**
 * `<dir>/twostage-index.json`: what `twostage index` built, so a later run re-indexes only what
 * changed. `state` is `writing` from just before the engine's save until just after it: a
 * manifest found in that state (the process died in between) makes the next run rebuild the
 * index from its sources instead of trusting which engine files it describes.
 */
export type IndexManifest = {
  format: typeof indexManifestFormat;
  version: typeof indexManifestVersion;
  state: 'complete' | 'writing';
  /** When this manifest was written (ISO 8601). */
  updatedAt: string;
  /** The folder source paths are relative to, relative to the index directory (`/` separators). */
  root: string;
  /** What the engine in `<dir>/engine/` is. */
  engine: {
    /** `bm25` (lexical only), or `hybrid` (BM25 and vectors fused) with an embedding model. */
    kind: 'bm25' | 'hybrid';
    /** The `provider:model` reference documents were embedded with (hybrid only). */
    embeddingModel?: string;
  };
  /** How text files were cut into chunks (JSONL records are kept whole). */
  chunking: ChunkingSettings;
  /** Totals. */
  counts: { sources: number; documents: number };
  /** The sources, sorted by path. */
  sources: IndexedSource[];
};

/**
 * Reads `<directory>/twostage-index.json`, or `undefined` when there is none.
 *
 * @throws CliError when the file is not a manifest of a version this CLI reads
 */
export async function readIndexManifest(
  directory: string,
  shown: string,
): Promise<IndexManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, indexLayout.manifestFile), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  const damaged = (why: string) =>
    new CliError(
      `'${join(shown, indexLayout.manifestFile)}' is not a twostage index manifest: ${why}.`,
      {
        hint: `Index into a new directory, or delete '${shown}' and index again.`,
      },
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged('it is not valid JSON');
  }
  const manifest = value as Partial<IndexManifest> | null;
  if (manifest?.format !== indexManifestFormat)
    throw damaged(`its format is not '${indexManifestFormat}'`);
  if (manifest.version !== indexManifestVersion) {
    throw new CliError(
      `'${shown}' was written in index format version ${String(manifest.version)}; this twostage reads version ${indexManifestVersion}.`,
      { hint: `Rebuild it: delete '${shown}' and run twostage index again.` },
    );
  }
  if (
    !Array.isArray(manifest.sources) ||
    typeof manifest.root !== 'string' ||
    typeof manifest.engine?.kind !== 'string' ||
    typeof manifest.chunking?.unit !== 'string'
  ) {
    throw damaged('fields are missing');
  }
  return manifest as IndexManifest;
}

/**
 * Replaces `<directory>/twostage-index.json` atomically: the new content goes to a temporary
 * file, is flushed to disk, then renamed over the old one, so a reader sees the old manifest or
 * the new one, never a part.
 */
export async function writeIndexManifest(
  directory: string,
  manifest: IndexManifest,
): Promise<void> {
  const target = join(directory, indexLayout.manifestFile);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot open a directory; the rename is atomic there all the same.
  }
}
