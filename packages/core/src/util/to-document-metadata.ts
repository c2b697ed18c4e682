import type { DocumentMetadata } from '../spec/v1/index.js';

/** A framework document's metadata as twostage can carry it, and the fields that had to be left out. */
export type ConvertedMetadata = {
  /** A copy holding the fields twostage's metadata accepts. */
  metadata: DocumentMetadata;
  /** Names of the fields left out, in the document's order. */
  dropped: string[];
};

/**
 * Copies a framework's document metadata (a LangChain document's, a LlamaIndex node's: any values) into twostage's `DocumentMetadata`, whose
 * values are Pinecone's types: strings, finite numbers, booleans and lists of strings. Other
 * values (nested objects, `null`, mixed lists) are left out and named in `dropped`, so the
 * caller can warn: passing them on would make core's metadata checks and filters fail later,
 * far from their cause. Lists are copied, so the candidate never shares an array with the document.
 */
export function toDocumentMetadata(source: Record<string, unknown>): ConvertedMetadata {
  const metadata: DocumentMetadata = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    ) {
      metadata[name] = value;
    } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      metadata[name] = [...value];
    } else {
      dropped.push(name);
    }
  }
  return { metadata, dropped };
}
