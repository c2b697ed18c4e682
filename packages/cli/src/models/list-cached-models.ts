import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One file of a cached model. */
export type CachedModelFile = {
  /** Relative to the model directory, `/`-separated (`onnx/model.onnx`). */
  path: string;
  bytes: number;
  /** Hex sha256 of the file's bytes, computed now (the hub's checksum for LFS files). */
  sha256: string;
};

/** One revision of a hub model in the cache. */
export type CachedModel = {
  /** `owner/name`. */
  id: string;
  revision: string;
  directory: string;
  /** Sum of the files' sizes. */
  bytes: number;
  files: CachedModelFile[];
  /** Files whose download was interrupted (`.partial`); they are not listed in `files`. */
  interrupted: string[];
};

/**
 * Files the downloader keeps beside a model's files: a download in progress or interrupted
 * (`.partial`, resumed by the next pull), a lock between processes (`.lock`), the memory that an
 * optional file is not on the hub (`.absent`). None is part of the model.
 */
const bookkeeping = /\.(partial|lock|absent)$/;

/**
 * Every model under `{cacheDirectory}/hub/{owner}/{name}/{revision}/`, sorted by id and revision,
 * with each file's size and sha256. An absent cache is an empty list.
 */
export async function listCachedModels(cacheDirectory: string): Promise<CachedModel[]> {
  const hub = join(cacheDirectory, 'hub');
  const models: CachedModel[] = [];
  for (const owner of await directoriesIn(hub)) {
    for (const name of await directoriesIn(join(hub, owner))) {
      for (const revision of await directoriesIn(join(hub, owner, name))) {
        models.push(
          await describeModel(`${owner}/${name}`, revision, join(hub, owner, name, revision)),
        );
      }
    }
  }
  return models;
}

async function describeModel(
  id: string,
  revision: string,
  directory: string,
): Promise<CachedModel> {
  const files: CachedModelFile[] = [];
  const interrupted: string[] = [];
  for (const path of await filesUnder(directory)) {
    const name = relative(directory, path).split(sep).join('/');
    if (name.endsWith('.partial')) interrupted.push(name.slice(0, -'.partial'.length));
    if (bookkeeping.test(name)) continue;
    const bytes = (await stat(path)).size;
    files.push({ path: name, bytes, sha256: await sha256Of(path) });
  }
  // Code-unit order, the same on every machine (a locale's order is not).
  files.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return {
    id,
    revision,
    directory,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    files,
    interrupted: interrupted.sort(),
  };
}

async function directoriesIn(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
