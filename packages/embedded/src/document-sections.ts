import type { DocumentMetadata } from '@twostage/core';
import type { DocumentSlots } from './document-slots.js';
import type { LoadedIndexDirectory } from './index-files.js';
import { decodeJsonArray, encodeJsonArray } from './json-array.js';
import { decodeStrings, encodeStrings } from './string-table.js';

/** The documents of a namespace as loaded from disk, slot by slot. */
export type LoadedDocuments = {
  ids: string[];
  texts: string[];
  metadata: (DocumentMetadata | undefined)[];
};

/**
 * The sections that store a namespace's live documents (ids, texts, metadata as one JSON
 * array), under `prefix`. Only live slots are written; callers compact first so slots match.
 */
export function documentSections(
  documents: DocumentSlots,
  prefix: string,
): Record<string, Uint8Array | Uint32Array> {
  const ids = encodeStrings(documents.ids);
  const texts = encodeStrings(documents.texts);
  const metadata = encodeJsonArray(documents.metadata.map((value) => value ?? null));
  return {
    [`${prefix}ids`]: ids.blob,
    [`${prefix}idEnds`]: ids.ends,
    [`${prefix}texts`]: texts.blob,
    [`${prefix}textEnds`]: texts.ends,
    [`${prefix}metadata`]: metadata,
  };
}

const decoded = new WeakMap<LoadedIndexDirectory, Map<string, LoadedDocuments>>();

/**
 * Reads what {@link documentSections} wrote. Memoised per loaded directory and prefix, so the
 * two sides of a hybrid index that share their documents decode them once.
 */
export function readDocumentSections(
  loaded: LoadedIndexDirectory,
  prefix: string,
): LoadedDocuments {
  let byPrefix = decoded.get(loaded);
  if (byPrefix === undefined) {
    byPrefix = new Map();
    decoded.set(loaded, byPrefix);
  }
  let documents = byPrefix.get(prefix);
  if (documents === undefined) {
    documents = decodeDocumentSections(loaded, prefix);
    byPrefix.set(prefix, documents);
  }
  return documents;
}

/** Whether two namespaces hold the same documents in the same slots (so one copy can be saved). */
export function sameDocuments(left: DocumentSlots, right: DocumentSlots): boolean {
  if (left.slotCount !== right.slotCount || left.deletedCount > 0 || right.deletedCount > 0)
    return false;
  for (let slot = 0; slot < left.slotCount; slot++) {
    if (left.ids[slot] !== right.ids[slot] || left.texts[slot] !== right.texts[slot]) return false;
    const leftMetadata = left.metadata[slot];
    const rightMetadata = right.metadata[slot];
    if (leftMetadata === rightMetadata) continue;
    if (leftMetadata === undefined || rightMetadata === undefined) return false;
    if (JSON.stringify(leftMetadata) !== JSON.stringify(rightMetadata)) return false;
  }
  return true;
}

function decodeDocumentSections(loaded: LoadedIndexDirectory, prefix: string): LoadedDocuments {
  const ids = decodeStrings(
    loaded.section(`${prefix}ids`, 'u8'),
    loaded.section(`${prefix}idEnds`, 'u32'),
  );
  const texts = decodeStrings(
    loaded.section(`${prefix}texts`, 'u8'),
    loaded.section(`${prefix}textEnds`, 'u32'),
  );
  const metadata = (
    decodeJsonArray(loaded.section(`${prefix}metadata`, 'u8')) as (DocumentMetadata | null)[]
  ).map((value) => value ?? undefined);
  if (ids.length !== texts.length || ids.length !== metadata.length) {
    throw new RangeError(`Section '${prefix}' holds inconsistent document counts.`);
  }
  return { ids, texts, metadata };
}
