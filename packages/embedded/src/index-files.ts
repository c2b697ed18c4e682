import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { InvalidArgumentError, TwostageError } from '@twostage/core';
import { checkIndexDirectory } from './check-index-directory.js';
import { IndexFormatError } from './index-format-error.js';
import { IndexWriteError } from './index-write-error.js';

/** The `format` field of every embedded index manifest. */
export const indexFormatName = 'twostage-embedded-index';
/** The on-disk format version this code writes and reads. */
export const indexFormatVersion = 1;
/** The manifest file: the one file whose atomic replacement publishes a save. */
export const manifestFileName = 'manifest.json';

/** The kinds of embedded index a directory can hold. */
export type EmbeddedIndexKind = 'bm25' | 'vector' | 'hybrid';

type SectionType = 'u8' | 'u16' | 'u32' | 'i32' | 'f32';
type SectionArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array;

/** Where a section lies in the data file. */
type SectionEntry = { offset: number; length: number; type: SectionType };

/** The manifest as written: the format header, the data file's checksum, the kind's settings. */
export type IndexManifest = {
  format: typeof indexFormatName;
  version: number;
  kind: EmbeddedIndexKind;
  /** The data file this manifest publishes, e.g. `data-3f9a….bin`. */
  dataFile: string;
  dataBytes: number;
  /** CRC-32 of the whole data file. */
  crc32: number;
  sections: Record<string, SectionEntry>;
  /** What the retriever needs to rebuild itself (options, per-namespace counts...). */
  state: unknown;
};

function typeOf(array: SectionArray): SectionType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Uint16Array) return 'u16';
  return 'u8';
}

const constructors = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
} as const;

/**
 * Writes an index directory atomically. The data goes to a new, uniquely named data file that is
 * fsynced before a new `manifest.json` replaces the old one by `rename` (atomic on POSIX file
 * systems); only then are older data files removed. A crash at any point leaves the directory
 * with either the previous complete index or the new one, never a mix.
 */
export async function writeIndexDirectory(
  directory: string,
  kind: EmbeddedIndexKind,
  sections: Record<string, SectionArray>,
  state: unknown,
): Promise<void> {
  checkIndexDirectory(directory);
  // Saves to one directory run one after the other: two interleaved saves would each delete the
  // other's data file while cleaning up, and the manifest that wins would point at nothing.
  const key = resolve(directory);
  const previous = savesInFlight.get(key) ?? Promise.resolve();
  const current = previous
    .catch(() => undefined)
    .then(() => writeIndexDirectoryNow(directory, kind, sections, state))
    .catch((error: unknown) => {
      throw TwostageError.isInstance(error)
        ? error
        : new IndexWriteError({ directory, cause: error });
    });
  savesInFlight.set(key, current);
  try {
    await current;
  } finally {
    if (savesInFlight.get(key) === current) savesInFlight.delete(key);
  }
}

/** The last save queued per resolved directory (see {@link writeIndexDirectory}). */
const savesInFlight = new Map<string, Promise<void>>();

async function writeIndexDirectoryNow(
  directory: string,
  kind: EmbeddedIndexKind,
  sections: Record<string, SectionArray>,
  state: unknown,
): Promise<void> {
  const existing = await stat(directory).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new InvalidArgumentError({
      argument: 'directory',
      message: `'${directory}' is a file, not a directory; save an index to a directory of its own.`,
    });
  }
  await mkdir(directory, { recursive: true });
  const generation = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  const dataFile = `data-${generation}.bin`;
  const entries: Record<string, SectionEntry> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let checksum = 0;
  for (const [name, array] of Object.entries(sections)) {
    // 8-byte alignment lets the loader view sections in place as typed arrays
    const padding = (8 - (offset % 8)) % 8;
    if (padding > 0) {
      const pad = new Uint8Array(padding);
      chunks.push(pad);
      checksum = crc32(pad, checksum);
      offset += padding;
    }
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    entries[name] = { offset, length: array.length, type: typeOf(array) };
    chunks.push(bytes);
    checksum = crc32(bytes, checksum);
    offset += bytes.byteLength;
  }
  const temporaryData = join(directory, `${dataFile}.tmp`);
  const dataHandle = await open(temporaryData, 'w');
  try {
    for (const chunk of chunks) await dataHandle.write(chunk);
    await dataHandle.sync();
  } finally {
    await dataHandle.close();
  }
  await rename(temporaryData, join(directory, dataFile));
  // Make the data file's name durable before any manifest can point at it.
  await syncDirectory(directory);

  const manifest: IndexManifest = {
    format: indexFormatName,
    version: indexFormatVersion,
    kind,
    dataFile,
    dataBytes: offset,
    crc32: checksum,
    sections: entries,
    state,
  };
  const temporaryManifest = join(directory, `${manifestFileName}.${generation}.tmp`);
  const manifestHandle = await open(temporaryManifest, 'w');
  try {
    await manifestHandle.writeFile(JSON.stringify(manifest));
    await manifestHandle.sync();
  } finally {
    await manifestHandle.close();
  }
  await rename(temporaryManifest, join(directory, manifestFileName));
  await syncDirectory(directory);

  // The new index is published; what remains of older saves (or crashed ones) can go — except
  // the data file of whatever manifest is current now (another process may have saved since).
  const published = await readFile(join(directory, manifestFileName), 'utf8').then(
    (text) => (JSON.parse(text) as { dataFile?: unknown }).dataFile,
    () => undefined,
  );
  for (const entry of await readdir(directory)) {
    const stale =
      (entry.startsWith('data-') && entry !== dataFile && entry !== published) ||
      (entry.startsWith(`${manifestFileName}.`) && entry.endsWith('.tmp'));
    if (stale) await rm(join(directory, entry), { force: true });
  }
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
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
  }
}

/** A loaded index directory: its manifest and typed views of its sections. */
export type LoadedIndexDirectory = {
  manifest: IndexManifest;
  section<T extends SectionType>(name: string, type: T): InstanceType<(typeof constructors)[T]>;
  /** Whether the section was read straight into a caller's memory (see `directTargets`). */
  readDirectly(name: string): boolean;
};

/** Bytes a section occupies, from its manifest entry. */
export function sectionBytes(entry: { length: number; type: SectionType }): number {
  return entry.length * constructors[entry.type].BYTES_PER_ELEMENT;
}

/**
 * Reads and checks a directory's manifest: format, version and kind.
 *
 * @throws {IndexFormatError} `not-an-index` (no manifest / a foreign one), `wrong-kind`,
 *   `unsupported-version`, or `corrupt` (an unreadable manifest)
 */
export async function readIndexManifest(
  directory: string,
  expectedKinds: readonly EmbeddedIndexKind[],
): Promise<IndexManifest> {
  checkIndexDirectory(directory);
  let manifestText: string;
  try {
    manifestText = await readFile(join(directory, manifestFileName), 'utf8');
  } catch (error) {
    const exists = await stat(directory).then(
      () => true,
      () => false,
    );
    throw new IndexFormatError({
      directory,
      reason: 'not-an-index',
      message: exists
        ? `No ${manifestFileName}: this directory does not hold a twostage embedded index`
        : 'The index directory does not exist',
      cause: error,
    });
  }
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(manifestText) as IndexManifest;
  } catch (error) {
    throw new IndexFormatError({
      directory,
      reason: 'corrupt',
      message: `${manifestFileName} is not valid JSON (truncated or damaged)`,
      cause: error,
    });
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== indexFormatName) {
    throw new IndexFormatError({
      directory,
      reason: 'not-an-index',
      message: `${manifestFileName} is not a twostage embedded index manifest`,
    });
  }
  if (manifest.version !== indexFormatVersion) {
    throw new IndexFormatError({
      directory,
      reason: 'unsupported-version',
      message: `The index has format version ${String(manifest.version)}; this version of @twostage/core reads version ${indexFormatVersion}`,
    });
  }
  if (!expectedKinds.includes(manifest.kind)) {
    throw new IndexFormatError({
      directory,
      reason: 'wrong-kind',
      message: `The directory holds a '${String(manifest.kind)}' index, not ${expectedKinds.map((kind) => `'${kind}'`).join(' or ')}`,
    });
  }
  const sectionsValid =
    typeof manifest.sections === 'object' &&
    manifest.sections !== null &&
    Object.values(manifest.sections).every(
      (entry) =>
        Number.isInteger(entry?.offset) &&
        Number.isInteger(entry?.length) &&
        entry.type in constructors &&
        entry.offset + sectionBytes(entry) <= manifest.dataBytes,
    );
  if (
    typeof manifest.dataFile !== 'string' ||
    !/^data-[a-z0-9-]+\.bin$/.test(manifest.dataFile) ||
    !Number.isInteger(manifest.dataBytes) ||
    !sectionsValid
  ) {
    throw new IndexFormatError({
      directory,
      reason: 'corrupt',
      message: 'The manifest is damaged',
    });
  }
  return manifest;
}

async function readFully(
  handle: Awaited<ReturnType<typeof open>>,
  target: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(
      target,
      done,
      target.byteLength - done,
      position + done,
    );
    if (bytesRead === 0) throw new RangeError('Unexpected end of file.');
    done += bytesRead;
  }
}

/**
 * Reads and checks the data file a manifest publishes: its size and CRC-32. Sections named in
 * `directTargets` (name → a byte view of exactly the section's size) are read straight into that
 * memory — the vector rows go into the kernel's WebAssembly memory without an intermediate copy;
 * the rest land in one buffer.
 *
 * @throws {IndexFormatError} `corrupt` when the data file is missing, truncated or damaged
 */
export async function readIndexData(
  directory: string,
  manifest: IndexManifest,
  directTargets: ReadonlyMap<string, Uint8Array> = new Map(),
): Promise<LoadedIndexDirectory> {
  const corrupt = (message: string, cause?: unknown) =>
    new IndexFormatError({ directory, reason: 'corrupt', message, cause });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(join(directory, manifest.dataFile), 'r');
  } catch (error) {
    throw corrupt(`The data file ${manifest.dataFile} is missing or unreadable`, error);
  }
  const ordered = Object.entries(manifest.sections).sort(
    ([, left], [, right]) => left.offset - right.offset,
  );
  const restOffsets = new Map<string, number>();
  let rest: Buffer;
  try {
    const { size } = await handle.stat();
    if (size !== manifest.dataBytes) {
      throw corrupt(
        `The data file ${manifest.dataFile} has ${size} bytes, expected ${manifest.dataBytes} (truncated?)`,
      );
    }
    let directBytes = 0;
    for (const [name, target] of directTargets) {
      const entry = manifest.sections[name];
      if (entry === undefined || target.byteLength !== sectionBytes(entry)) {
        throw corrupt(`The '${name}' section does not have the size its owner expects`);
      }
      directBytes += target.byteLength;
    }
    rest = Buffer.allocUnsafe(manifest.dataBytes - directBytes);
    let checksum = 0;
    let position = 0;
    let restOffset = 0;
    const readRest = async (bytes: number) => {
      const view = rest.subarray(restOffset, restOffset + bytes);
      await readFully(handle, view, position);
      checksum = crc32(view, checksum);
      restOffset += bytes;
      position += bytes;
    };
    for (const [name, entry] of ordered) {
      if (entry.offset < position) throw corrupt(`The '${name}' section overlaps another`);
      await readRest(entry.offset - position); // alignment padding
      const target = directTargets.get(name);
      if (target === undefined) {
        restOffsets.set(name, restOffset);
        await readRest(sectionBytes(entry));
      } else {
        await readFully(handle, target, position);
        checksum = crc32(target, checksum);
        position += target.byteLength;
      }
    }
    await readRest(manifest.dataBytes - position);
    if (checksum !== manifest.crc32) {
      throw corrupt(`The data file ${manifest.dataFile} fails its checksum (damaged)`);
    }
  } catch (error) {
    if (IndexFormatError.isInstance(error)) throw error;
    throw corrupt(`The data file ${manifest.dataFile} could not be read`, error);
  } finally {
    await handle.close();
  }
  return {
    manifest,
    readDirectly: (name) => directTargets.has(name),
    section(name, type) {
      const entry = manifest.sections[name];
      const arrayType = constructors[type];
      const offset = restOffsets.get(name);
      if (entry === undefined || entry.type !== type || offset === undefined) {
        throw corrupt(`The index lacks its '${name}' section`);
      }
      const start = rest.byteOffset + offset;
      if (start % arrayType.BYTES_PER_ELEMENT === 0) {
        return new arrayType(rest.buffer as ArrayBuffer, start, entry.length) as never;
      }
      // Not aligned in memory (a pooled Buffer): copy instead of viewing.
      return new arrayType(
        (rest.buffer as ArrayBuffer).slice(start, start + sectionBytes(entry)),
      ) as never;
    },
  };
}

/**
 * Reads and checks a whole index directory written by {@link writeIndexDirectory}: the
 * manifest's format, version and kind, the data file's size and CRC-32.
 *
 * @throws {IndexFormatError} `not-an-index` (no manifest / a foreign one), `wrong-kind`,
 *   `unsupported-version`, or `corrupt` (unreadable manifest, truncated or damaged data)
 */
export async function readIndexDirectory(
  directory: string,
  expectedKinds: readonly EmbeddedIndexKind[],
): Promise<LoadedIndexDirectory> {
  return readIndexData(directory, await readIndexManifest(directory, expectedKinds));
}
