// Request shape: TEI `router/src/http/types.rs` `RerankRequest`; /work/shared/reference/openapi/tei-openapi.json.
import type { ParsedRerankRequest } from './parsed-rerank-request.js';
import {
  itemList,
  objectBody,
  optionalBoolean,
  optionalString,
  queryField,
  stringItems,
} from './request-fields.js';
import { invalidRequest } from './server-error.js';

/**
 * TEI `POST /rerank`: `texts`, `truncate` (null or absent: the server's auto-truncate, on),
 * `raw_scores`, `return_text`. Unknown fields are ignored, as TEI ignores them.
 * @throws ServerError for every field that breaks TEI's schema
 */
export function parseTeiRerank(body: unknown, maxDocuments: number): ParsedRerankRequest {
  const fields = objectBody(body);
  const query = queryField(fields);
  const documents = stringItems(itemList(fields.texts, 'texts', maxDocuments), 'texts');
  const direction = optionalString(fields, 'truncation_direction');
  if (direction !== undefined && direction.toLowerCase() !== 'right') {
    // Cutting from the left would score a text the model's own truncation never produces.
    throw invalidRequest("truncation_direction: only 'Right' is supported by this server");
  }
  return {
    query,
    documents,
    originals: documents,
    topN: undefined,
    truncate: optionalBoolean(fields, 'truncate') ?? true,
    maxTokensPerDocument: undefined,
    returnDocuments: optionalBoolean(fields, 'return_text') ?? false,
    rawScores: optionalBoolean(fields, 'raw_scores') ?? false,
  };
}
