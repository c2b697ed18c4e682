import type { DocumentMetadata } from '@twostage/core';
import { InvalidArgumentError, validateMetadata } from '@twostage/core';
import { documentId } from './document-id.js';
import { MetadataTooLargeError } from './metadata-too-large-error.js';
import type { PineconeDocument } from './pinecone-document.js';
import { jsonBytes } from './plan-batches.js';

/** Pinecone's upsert limits. @see https://docs.pinecone.io/reference/quotas-and-limits */
export const pineconeUpsertLimits = {
  /** Vectors per upsert request. */
  maxVectorsPerRequest: 1000,
  /**
   * Text records per `upsertRecords` request: "When upserting records with text, a batch can
   * contain up to 96 records", the hosted embedding models' batch size (Pinecone's upsert guide;
   * the API description itself sets no `maxItems`).
   */
  maxRecordsPerRequest: 96,
  /** Metadata per record, in bytes. */
  maxMetadataBytes: 40 * 1024,
  /** Characters of a record id. */
  maxIdLength: 512,
} as const;

/** A document checked and given its id, with its position in the caller's array. */
export type PreparedDocument = {
  position: number;
  id: string;
  text: string;
  metadata: DocumentMetadata;
};

/** Checks the documents and gives each its id; fails up front on anything Pinecone would refuse. */
export function prepareDocuments(
  documents: readonly PineconeDocument[],
  textField: string,
  mode: 'vector' | 'records',
): PreparedDocument[] {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({
      argument: 'documents',
      message: 'must be an array of { id?, text, metadata? }.',
    });
  }
  if (typeof textField !== 'string' || textField === '' || textField.startsWith('$')) {
    throw new InvalidArgumentError({
      argument: 'textField',
      message: "must be a non-empty field name not starting with '$'.",
    });
  }
  const reserved = mode === 'records' ? new Set([textField, '_id', 'id']) : new Set([textField]);
  const positions = new Map<string, number>();
  return documents.map((document, position) => {
    const argument = `documents[${position}]`;
    if (document === null || typeof document !== 'object') {
      throw new InvalidArgumentError({
        argument,
        message: 'must be an object { id?, text, metadata? }.',
      });
    }
    if (typeof document.text !== 'string' || document.text.trim() === '') {
      throw new InvalidArgumentError({
        argument: `${argument}.text`,
        message: 'must be a non-blank string.',
      });
    }
    const id = document.id ?? documentId(document.text);
    if (typeof id !== 'string' || id === '' || id.length > pineconeUpsertLimits.maxIdLength) {
      throw new InvalidArgumentError({
        argument: `${argument}.id`,
        message: `must be a non-empty string of at most ${pineconeUpsertLimits.maxIdLength} characters.`,
      });
    }
    const earlier = positions.get(id);
    if (earlier !== undefined) {
      throw new InvalidArgumentError({
        argument: `${argument}.id`,
        message: `'${id}' is also the id of documents[${earlier}]${document.id === undefined ? ' (ids derived from the text repeat when the text does: give such documents ids)' : ''}.`,
      });
    }
    positions.set(id, position);
    const metadata = checkMetadata(document.metadata, `${argument}.metadata`, reserved);
    const bytes = jsonBytes({ ...metadata, [textField]: document.text });
    if (bytes > pineconeUpsertLimits.maxMetadataBytes) {
      throw new MetadataTooLargeError({
        id,
        position,
        bytes,
        limitBytes: pineconeUpsertLimits.maxMetadataBytes,
      });
    }
    return { position, id, text: document.text, metadata };
  });
}

function checkMetadata(
  metadata: unknown,
  argument: string,
  reserved: ReadonlySet<string>,
): DocumentMetadata {
  if (metadata === undefined) return {};
  validateMetadata(metadata, argument);
  for (const key of Object.keys(metadata)) {
    if (reserved.has(key)) {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        message: `'${key}' is where the adapter stores the ${key === 'id' || key === '_id' ? 'record id' : 'text'}; rename this field.`,
      });
    }
  }
  return metadata;
}
