import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { RerankDocumentsV1 } from '../spec/v1/rerank-stage-v1.js';
import type { DocumentMetadata, JsonObject } from '../spec/v1/shared-v1.js';
import { describe } from '../util/validate-arguments.js';

/** A document given to `rerank`: a string, or an object with its text and optional metadata. */
export type RerankInputDocument =
  | string
  | {
      /** Your id for the document; not sent to the model. */
      id?: string;
      /** The text the model scores against the query. */
      text: string;
      /** Extra fields; sent to the model only with `documentFormat: 'object'`. */
      metadata?: DocumentMetadata;
    };

/** How documents are sent to the stage: their text only, or JSON objects with their metadata. */
export type RerankDocumentFormat = 'text' | 'object';

/**
 * Validates `documents` and builds what the stage receives, in one pass and without touching the
 * caller's array or objects:
 * - `text`: the documents' texts;
 * - `object`: one JSON object per document, `{ ...metadata, text }` (a string document becomes
 *   `{ text }`; `text` wins over a metadata field of the same name; `id` is left out because an
 *   identifier carries no relevance signal and costs tokens).
 */
export function prepareRerankDocuments(
  documents: unknown,
  format: RerankDocumentFormat,
): RerankDocumentsV1 {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({
      argument: 'documents',
      message: `must be an array, got ${describe(documents)}.`,
    });
  }
  const count = documents.length;
  if (format === 'text') {
    const values: string[] = new Array(count);
    for (let index = 0; index < count; index++) {
      const document: unknown = documents[index];
      values[index] = typeof document === 'string' ? document : textOf(document, index);
    }
    return { type: 'text', values };
  }
  const values: JsonObject[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const document: unknown = documents[index];
    if (typeof document === 'string') {
      values[index] = { text: document };
      continue;
    }
    const text = textOf(document, index);
    const metadata = (document as { metadata?: unknown }).metadata;
    if (metadata === undefined) {
      values[index] = { text };
    } else if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
      values[index] = withText(metadata as DocumentMetadata, text);
    } else {
      throw new InvalidArgumentError({
        argument: `documents[${index}].metadata`,
        message: `must be an object when given, got ${describe(metadata)}.`,
      });
    }
  }
  return { type: 'object', values };
}

function textOf(document: unknown, index: number): string {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidArgumentError({
      argument: `documents[${index}]`,
      message: `must be a string or an object with a string 'text', got ${describe(document)}.`,
    });
  }
  const text = (document as { text?: unknown }).text;
  if (typeof text !== 'string') {
    throw new InvalidArgumentError({
      argument: `documents[${index}].text`,
      message: `must be a string, got ${describe(text)}.`,
    });
  }
  return text;
}

/**
 * `{ ...metadata, text }`, built key by key: V8's object spread is several times slower here, and
 * this runs once per document on the hot path.
 */
function withText(metadata: DocumentMetadata, text: string): JsonObject {
  const value: JsonObject = {};
  for (const key in metadata) {
    if (Object.hasOwn(metadata, key)) value[key] = metadata[key];
  }
  value.text = text;
  return value;
}
