// Request shapes: https://docs.cohere.com/reference/rerank (v2) and
// https://docs.cohere.com/v1/reference/rerank (v1); /work/shared/reference/openapi/cohere-openapi.yaml.
import type { ParsedRerankRequest } from './parsed-rerank-request.js';
import {
  checkKnownFields,
  itemList,
  objectBody,
  optionalBoolean,
  optionalInteger,
  optionalString,
  queryField,
  stringItems,
} from './request-fields.js';
import { invalidRequest } from './server-error.js';

const v2Fields = ['model', 'query', 'documents', 'top_n', 'max_tokens_per_doc', 'priority'];
const v1Fields = [
  'model',
  'query',
  'documents',
  'top_n',
  'rank_fields',
  'return_documents',
  'max_chunks_per_doc',
];

/**
 * Cohere `POST /v2/rerank`: string documents, `model` required (any name: the server serves one
 * model, as Infinity does).
 * @throws ServerError for every field that breaks the v2 schema
 */
export function parseCohereV2Rerank(body: unknown, maxDocuments: number): ParsedRerankRequest {
  const fields = objectBody(body);
  checkKnownFields(fields, v2Fields);
  if (fields.model === undefined || fields.model === null) {
    throw invalidRequest('a model parameter is required for this endpoint.');
  }
  optionalString(fields, 'model');
  const query = queryField(fields);
  const documents = stringItems(itemList(fields.documents, 'documents', maxDocuments), 'documents');
  optionalInteger(fields, 'priority', 0);
  return {
    query,
    documents,
    originals: documents,
    topN: optionalInteger(fields, 'top_n', 1),
    truncate: true,
    maxTokensPerDocument: optionalInteger(fields, 'max_tokens_per_doc', 1),
    returnDocuments: false,
    rawScores: false,
  };
}

function rankFieldsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((field) => typeof field === 'string')) {
    throw invalidRequest('rank_fields must be an array of strings');
  }
  if (value.length === 0) {
    throw invalidRequest(
      'rank_fields cannot be empty, it must either contain at least one field or be omitted',
    );
  }
  return value as string[];
}

/** One v1 document as text: a string as is, an object by its `text` (or its `rank_fields`). */
function v1DocumentText(
  document: unknown,
  index: number,
  rankFields: string[] | undefined,
): string {
  if (typeof document === 'string') return document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidRequest(`documents[${index}] must be a string or an object`);
  }
  const fields = document as Record<string, unknown>;
  const parts = (rankFields ?? ['text'])
    .filter((name) => fields[name] !== undefined)
    .map((name) => {
      const value = fields[name];
      if (typeof value !== 'string')
        throw invalidRequest(`documents[${index}].${name} must be a string`);
      return rankFields === undefined ? value : `${name}: ${value}`;
    });
  if (parts.length === 0) {
    throw invalidRequest(
      `document at index ${index} does not have a 'text' field that can be used for reranking`,
    );
  }
  return parts.join('\n');
}

/**
 * Cohere `POST /v1/rerank`: strings or objects with `text` (or `rank_fields`), optional `model`,
 * `return_documents` echoes each document as sent.
 * @throws ServerError for every field that breaks the v1 schema
 */
export function parseCohereV1Rerank(body: unknown, maxDocuments: number): ParsedRerankRequest {
  const fields = objectBody(body);
  checkKnownFields(fields, v1Fields);
  optionalString(fields, 'model');
  const query = queryField(fields);
  const originals = itemList(fields.documents, 'documents', maxDocuments);
  const rankFields = rankFieldsOf(fields.rank_fields);
  optionalInteger(fields, 'max_chunks_per_doc', 1);
  return {
    query,
    documents: originals.map((document, index) => v1DocumentText(document, index, rankFields)),
    originals,
    topN: optionalInteger(fields, 'top_n', 1),
    truncate: true,
    maxTokensPerDocument: undefined,
    returnDocuments: optionalBoolean(fields, 'return_documents') ?? false,
    rawScores: false,
  };
}
