/**
 * Downloads model files from a Hugging Face–compatible hub into a durable cache:
 * `GET {endpoint}/{repository}/resolve/{revision}/{file}`, the route `huggingface_hub` and
 * transformers.js use. Each file is written to `{file}.partial`, resumed with a `Range` request
 * after a dropped connection, checked against the sha256 the hub announces for LFS files
 * (`x-linked-etag`, or an `etag` that is a sha256), and renamed into place only when complete,
 * so a file in the cache is always whole.
 *
 * @see https://huggingface.co/docs/huggingface_hub/guides/download
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { inspect } from 'node:util';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  ModelNotFoundError,
  raceAbort,
  redactSecrets,
  throwIfAborted,
} from '@twostage/core';
import { withDownloadLock } from './download-lock.js';

/** One progress report of a model download. */
export type DownloadProgressEvent = {
  /** `initiate` before a request, `progress` while bytes arrive, `done` when the file is in place, `cached` when it already was, `waiting` while another process downloads it into the same cache. */
  status: 'initiate' | 'progress' | 'done' | 'cached' | 'waiting';
  /** The file, relative to the repository (`onnx/model.onnx`). */
  file: string;
  /** Bytes of the file on disk so far (including a resumed part). */
  loaded: number;
  /** The file's size, when the hub said. */
  total: number | undefined;
};

/** Options of {@link downloadHubModel}. */
export type HubDownloadOptions = {
  /** `owner/name`. */
  repository: string;
  /** Branch, tag or commit. @default 'main' */
  revision: string;
  /** Files that must exist; a 404 is a `ModelNotFoundError` naming the file. */
  files: readonly string[];
  /** Files fetched when present; a 404 is remembered so they are not asked for again. */
  optionalFiles: readonly string[];
  /** The cache root; the model lands in `{cacheDirectory}/hub/{repository}/{revision}/`. */
  cacheDirectory: string;
  /** Hub base URL, e.g. `https://huggingface.co`. */
  endpoint: string;
  /** Bearer token for gated or private repositories. Never logged or put in an error. */
  token?: string | undefined;
  /** Use only what is cached; never touch the network. */
  offline: boolean;
  fetch?: typeof globalThis.fetch | undefined;
  onProgress?: ((event: DownloadProgressEvent) => void) | undefined;
  abortSignal?: AbortSignal | undefined;
  /** Provider name for errors. */
  provider: string;
};

const segmentPattern = /^[\w.-]+$/;

/**
 * Where a repository revision lives in the cache: `{cacheDirectory}/hub/{owner}/{name}/{revision}`.
 *
 * @throws InvalidArgumentError when `repository` is not `owner/name` or `revision` is not a plain
 *   name (so neither can point outside the cache)
 */
export function hubModelDirectory(
  cacheDirectory: string,
  repository: string,
  revision: string,
): string {
  const parts = repository.split('/');
  if (
    parts.length !== 2 ||
    parts.some((part) => !segmentPattern.test(part) || part === '..' || part === '.')
  ) {
    throw new InvalidArgumentError({
      argument: 'modelId',
      message: `'${repository}' is neither a hub id of the form 'owner/name' nor an existing directory.`,
    });
  }
  if (!segmentPattern.test(revision) || revision === '..' || revision === '.') {
    throw new InvalidArgumentError({
      argument: 'revision',
      message: `'${revision}' is not a valid revision name.`,
    });
  }
  return join(cacheDirectory, 'hub', ...parts, revision);
}

/**
 * Refuses a file name that could leave the model directory (`../`, an absolute path, a
 * backslash) before anything is requested or written: names such as `modelFile` come from
 * options and configuration, and the bytes written there come from the network.
 */
export function checkRepositoryFile(file: string): void {
  const segments = file.split('/');
  if (
    file === '' ||
    isAbsolute(file) ||
    file.includes('\\') ||
    [...file].some((character) => (character.codePointAt(0) ?? 0) < 0x20) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new InvalidArgumentError({
      argument: 'modelFile',
      message: `'${file}' is not a file path inside a hub repository (relative, '/'-separated, without '.' or '..' segments).`,
    });
  }
}

/** In-flight downloads of this process, by destination path: two loads of one model share them. */
const downloadsInFlight = new Map<string, Promise<boolean>>();

/**
 * Downloads `file` unless another call of this process is already downloading it; then waits
 * for that one. (Two writers on one `.partial` would interleave bytes and race the rename.)
 * Across processes, a lock file beside the destination does the same (`download-lock.ts`); a
 * process that waited finds the file in place and downloads nothing.
 */
async function downloadOnce(
  options: HubDownloadOptions,
  file: string,
  path: string,
): Promise<boolean> {
  for (;;) {
    const running = downloadsInFlight.get(path);
    if (running === undefined) {
      const download = withDownloadLock(
        path,
        async () => {
          if (!existsSync(path)) return downloadFile(options, file, path);
          const size = (await stat(path)).size;
          options.onProgress?.({ status: 'done', file, loaded: size, total: size });
          return true;
        },
        {
          abortSignal: options.abortSignal,
          onWait: () =>
            options.onProgress?.({ status: 'waiting', file, loaded: 0, total: undefined }),
        },
      ).finally(() => {
        downloadsInFlight.delete(path);
      });
      downloadsInFlight.set(path, download);
      return download;
    }
    try {
      return await raceAbort(running, options.abortSignal);
    } catch (error) {
      // The other caller gave up (its own abort): this one, not aborted, downloads it itself.
      if (!AbortedError.isInstance(error) || options.abortSignal?.aborted) throw error;
      await running.catch(() => undefined);
      if (existsSync(path)) return true;
    }
  }
}

/** The resolve URL of a file. */
export function hubFileUrl(
  endpoint: string,
  repository: string,
  revision: string,
  file: string,
): string {
  const base = endpoint.replace(/\/+$/, '');
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${repository}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/**
 * Makes sure every required file (and each optional file the hub has) is in the cache, and
 * returns the model directory.
 */
export async function downloadHubModel(options: HubDownloadOptions): Promise<string> {
  const directory = hubModelDirectory(options.cacheDirectory, options.repository, options.revision);
  for (const file of [...options.files, ...options.optionalFiles]) checkRepositoryFile(file);
  for (const file of options.files) await ensureFile(options, directory, file, true);
  for (const file of options.optionalFiles) await ensureFile(options, directory, file, false);
  return directory;
}

async function ensureFile(
  options: HubDownloadOptions,
  directory: string,
  file: string,
  required: boolean,
) {
  throwIfAborted(options.abortSignal);
  const path = join(directory, file);
  if (existsSync(path)) {
    const size = (await stat(path)).size;
    options.onProgress?.({ status: 'cached', file, loaded: size, total: size });
    return;
  }
  if (!required && existsSync(`${path}.absent`)) return;
  if (options.offline) {
    if (!required) return;
    throw new ModelNotFoundError({
      provider: options.provider,
      modelId: options.repository,
      message: `Offline mode: ${file} of '${options.repository}' (revision ${options.revision}) is not in the cache '${directory}'. Download it once online, or point the model at a local directory.`,
    });
  }
  await mkdir(dirname(path), { recursive: true });
  const found = await downloadOnce(options, file, path);
  if (!found) {
    if (required) {
      throw new ModelNotFoundError({
        provider: options.provider,
        modelId: options.repository,
        message: `The hub has no ${file} for '${options.repository}' at revision '${options.revision}' (${hubFileUrl(options.endpoint, options.repository, options.revision, file)} answered 404).`,
      });
    }
    await writeFile(`${path}.absent`, '');
  }
}

/**
 * A `fetch` error or a hub answer may echo the request's headers (proxies do): the token is
 * scrubbed from any text put on an error, and a cause that holds it is replaced by a scrubbed copy.
 */
function redactToken(text: string, token: string | undefined): string {
  return redactSecrets(text, [token]);
}

function redactCause(error: unknown, token: string | undefined): unknown {
  if (token === undefined || token.length < 4) return error;
  const printed = inspect(error, { depth: 10, showHidden: true });
  if (!printed.includes(token)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(redactToken(message, token));
}

/** The hub's sha256 of a file, from `x-linked-etag` (LFS) or an `etag` that is one. */
function announcedSha256(headers: Headers): string | undefined {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
    if (value !== undefined && /^[0-9a-f]{64}$/.test(value)) return value;
  }
  return undefined;
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/**
 * Fetches one file into `{path}.partial`, following redirects by hand so the hub's own headers
 * (where the checksum is) stay visible, then verifies and renames. Returns false on a 404.
 */
async function downloadFile(
  options: HubDownloadOptions,
  file: string,
  path: string,
): Promise<boolean> {
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const partial = `${path}.partial`;
  let offset = existsSync(partial) ? (await stat(partial)).size : 0;
  let url = hubFileUrl(options.endpoint, options.repository, options.revision, file);
  const publicUrl = url;
  let expectedSha: string | undefined;
  let announcedSize: number | undefined;
  options.onProgress?.({ status: 'initiate', file, loaded: offset, total: undefined });

  let response: Response | undefined;
  for (let hop = 0; hop < 6; hop += 1) {
    const headers: Record<string, string> = {};
    if (offset > 0) headers.range = `bytes=${offset}-`;
    // The token goes to the hub only: a redirect within it (a renamed repository) keeps it, one to
    // a CDN or any other origin never sees it.
    if (options.token !== undefined && new URL(url).origin === new URL(publicUrl).origin)
      headers.authorization = `Bearer ${options.token}`;
    try {
      response = await fetchFunction(url, {
        headers,
        redirect: 'manual',
        signal: options.abortSignal ?? null,
      });
    } catch (error) {
      if (options.abortSignal?.aborted)
        throw new AbortedError({ reason: options.abortSignal.reason });
      throw new ApiCallError({
        message: redactToken(
          `Downloading ${file} of '${options.repository}' failed: ${(error as Error).message}`,
          options.token,
        ),
        url: publicUrl,
        cause: redactCause(error, options.token),
      });
    }
    expectedSha ??= announcedSha256(response.headers);
    const linkedSize = response.headers.get('x-linked-size');
    if (linkedSize !== null && announcedSize === undefined) announcedSize = Number(linkedSize);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      url = new URL(location, url).href;
      continue;
    }
    break;
  }
  if (response === undefined || (response.status >= 300 && response.status < 400)) {
    throw new ApiCallError({
      message: `Downloading ${file}: too many redirects.`,
      url: publicUrl,
      isRetryable: false,
    });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return false;
  }
  if (response.status === 416 && offset > 0) {
    // The partial file is stale or already complete but unverified: start over.
    await response.body?.cancel();
    await rm(partial, { force: true });
    return downloadFile(options, file, path);
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const hint =
      response.status === 401 || response.status === 403
        ? ' The repository may be gated or private: set HF_TOKEN (or the hubToken setting).'
        : '';
    throw new ApiCallError({
      message: `Downloading ${file} of '${options.repository}' failed with HTTP ${response.status}.${hint}`,
      url: publicUrl,
      statusCode: response.status,
      responseBody: redactToken(body, options.token).slice(0, 500),
    });
  }
  if (response.status !== 206) offset = 0; // the server ignored the Range header: start over
  const contentLength = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(contentLength) ? offset + contentLength : announcedSize;

  const hash = createHash('sha256');
  if (offset > 0) await hashExisting(partial, hash);
  const output = createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' });
  let loaded = offset;
  try {
    if (response.body === null) throw new Error('the response has no body');
    for await (const chunk of response.body) {
      const bytes = chunk as Uint8Array;
      hash.update(bytes);
      if (!output.write(bytes))
        await new Promise<void>((resolve) => output.once('drain', () => resolve()));
      loaded += bytes.length;
      options.onProgress?.({ status: 'progress', file, loaded, total });
    }
  } catch (error) {
    await new Promise<void>((resolve) => output.end(() => resolve()));
    if (options.abortSignal?.aborted)
      throw new AbortedError({ reason: options.abortSignal.reason });
    throw new ApiCallError({
      message: `The connection dropped while downloading ${file} of '${options.repository}' after ${loaded} bytes; the next attempt resumes from there.`,
      url: publicUrl,
      cause: redactCause(error, options.token),
    });
  }
  await new Promise<void>((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  if (total !== undefined && loaded < total) {
    throw new ApiCallError({
      message: `The download of ${file} of '${options.repository}' ended after ${loaded} of ${total} bytes; the next attempt resumes from there.`,
      url: publicUrl,
    });
  }
  const digest = hash.digest('hex');
  if (expectedSha !== undefined && digest !== expectedSha) {
    await rm(partial, { force: true });
    throw new ApiCallError({
      message: `Checksum mismatch for ${file} of '${options.repository}': the hub announced sha256 ${expectedSha}, the download has ${digest}. The partial file was deleted; the next attempt downloads it again.`,
      url: publicUrl,
      isRetryable: true,
    });
  }
  await rename(partial, path);
  options.onProgress?.({ status: 'done', file, loaded, total: loaded });
  return true;
}
