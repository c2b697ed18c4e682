import { InvalidArgumentError, validateMetadata } from '@twostage/core';
import type { EmbeddedDocument } from './embedded-retriever.js';
import { runToEnd, type SlicedWork } from './run-in-slices.js';
import { ShardedMap } from './sharded-map.js';

/**
 * Checks a batch of documents: an array of `{ id, text, metadata? }` with non-empty string ids,
 * string texts and Pinecone-typed metadata. With `unique`, an id repeated in the batch is an
 * error too.
 */
export function validateDocuments(
  documents: unknown,
  unique: boolean,
): asserts documents is EmbeddedDocument[] {
  runToEnd(validateDocumentSteps(documents, unique));
}

/** {@link validateDocuments} as sliced work: yields between documents. */
export function* validateDocumentSteps(documents: unknown, unique: boolean): SlicedWork<void> {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({ argument: 'documents', message: 'must be an array.' });
  }
  const seen = new ShardedMap<true>();
  for (let index = 0; index < documents.length; index++) {
    const document: unknown = documents[index];
    const path = `documents[${index}]`;
    if (typeof document !== 'object' || document === null) {
      throw new InvalidArgumentError({
        argument: path,
        message: 'must be an object { id, text }.',
      });
    }
    const { id, text, metadata } = document as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') {
      throw new InvalidArgumentError({
        argument: `${path}.id`,
        message: 'must be a non-empty string.',
      });
    }
    if (typeof text !== 'string') {
      throw new InvalidArgumentError({ argument: `${path}.text`, message: 'must be a string.' });
    }
    if (metadata !== undefined) validateMetadata(metadata, `${path}.metadata`);
    if (unique) {
      if (seen.has(id)) {
        throw new InvalidArgumentError({
          argument: `${path}.id`,
          message: `'${id}' appears twice in the batch.`,
        });
      }
      seen.set(id, true);
    }
    if ((index & 255) === 255) yield;
  }
}

/**
 * Checks the ids given to `delete`: an array of strings. A bare string would otherwise be
 * iterated character by character, deleting the documents `'d'`, `'o'`, `'c'`…
 */
export function validateIds(ids: unknown): asserts ids is readonly string[] {
  if (!Array.isArray(ids)) {
    throw new InvalidArgumentError({ argument: 'ids', message: 'must be an array of ids.' });
  }
  ids.forEach((id: unknown, index) => {
    if (typeof id !== 'string') {
      throw new InvalidArgumentError({ argument: `ids[${index}]`, message: 'must be a string.' });
    }
  });
}

/** Checks a namespace option: a string when given. */
export function namespaceOf(options: { namespace?: string } | undefined): string {
  const namespace = options?.namespace ?? '';
  if (typeof namespace !== 'string') {
    throw new InvalidArgumentError({ argument: 'namespace', message: 'must be a string.' });
  }
  return namespace;
}
