// Request shapes: https://docs.cohere.com/reference/embed (v2) and TEI `router/src/http/types.rs` `EmbedRequest`.
import {
  checkKnownFields,
  itemList,
  objectBody,
  optionalBoolean,
  optionalString,
  stringItems,
} from './request-fields.js';
import { invalidRequest } from './server-error.js';

/** An embed request from Cohere `/v2/embed` or TEI `/embed`, checked. */
export type ParsedEmbedRequest = {
  texts: string[];
  inputType: 'query' | 'document';
  /** L2-normalise the vectors (TEI `normalize`, on by default). */
  normalize: boolean;
};

const cohereFields = [
  'model',
  'texts',
  'input_type',
  'embedding_types',
  'truncate',
  'output_dimension',
  'max_tokens',
  'priority',
];
const inputTypes = ['search_query', 'search_document', 'classification', 'clustering'];

/**
 * Cohere `POST /v2/embed`: `texts` (images are not served), `input_type`, `embedding_types`
 * (`float` only).
 * @throws ServerError for every field that breaks the schema or asks for what is not served
 */
export function parseCohereEmbed(body: unknown, maxTexts: number): ParsedEmbedRequest {
  const fields = objectBody(body);
  checkKnownFields(fields, cohereFields);
  optionalString(fields, 'model');
  const texts = stringItems(itemList(fields.texts, 'texts', maxTexts), 'texts');
  const inputType = optionalString(fields, 'input_type');
  if (inputType !== undefined && !inputTypes.includes(inputType)) {
    throw invalidRequest(`input_type must be one of ${inputTypes.join(', ')}`);
  }
  const types = fields.embedding_types;
  if (types !== undefined && (!Array.isArray(types) || types.some((type) => type !== 'float'))) {
    throw invalidRequest("embedding_types: this server returns 'float' embeddings only");
  }
  if (fields.output_dimension !== undefined && fields.output_dimension !== null) {
    throw invalidRequest('output_dimension: this server returns the model dimension only');
  }
  return {
    texts,
    inputType: inputType === 'search_query' ? 'query' : 'document',
    normalize: false,
  };
}

/**
 * TEI `POST /embed`: `inputs` is one string or an array of strings; `prompt_name: 'query'` marks
 * queries. Unknown fields are ignored, as TEI ignores them.
 * @throws ServerError for every field that breaks TEI's schema
 */
export function parseTeiEmbed(body: unknown, maxTexts: number): ParsedEmbedRequest {
  const fields = objectBody(body);
  const inputs = typeof fields.inputs === 'string' ? [fields.inputs] : fields.inputs;
  const texts = stringItems(itemList(inputs, 'inputs', maxTexts), 'inputs');
  const promptName = optionalString(fields, 'prompt_name');
  return {
    texts,
    inputType: promptName === 'query' ? 'query' : 'document',
    normalize: optionalBoolean(fields, 'normalize') ?? true,
  };
}
