import { responseId } from './engine-emulator.js';
import type { Answer } from './engine-types.js';
import { rank, words } from './lexical-score.js';

const infinityFields = new Set([
  'query',
  'documents',
  'return_documents',
  'raw_scores',
  'model',
  'top_n',
]);

/** FastAPI's default 422 for a pydantic validation error. */
function validationError(loc: string[], type: string, msg: string): Answer {
  return { status: 422, body: { detail: [{ type, loc, msg, input: null }] } };
}

/** Infinity's rerank handler, as in `shared/reference/serving-engines.md`. */
export function answerInfinity({
  headers,
  body,
  apiKey,
  models,
  maxClientBatchSize,
  violations,
}: {
  headers: Record<string, string>;
  body: unknown;
  apiKey: string | undefined;
  models: string[];
  maxClientBatchSize: number;
  violations: string[];
}): Answer {
  if (apiKey !== undefined) {
    const match = /^bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    if (match?.[1] !== apiKey) {
      return {
        status: 401,
        body: { detail: 'Unauthorized' },
        headers: { 'www-authenticate': 'Bearer' },
      };
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return validationError(['body'], 'model_attributes_type', 'Input should be a valid dictionary');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!infinityFields.has(key)) violations.push(`Infinity got an unknown field '${key}'`);
  }
  if (typeof record.query !== 'string')
    return validationError(['body', 'query'], 'missing', 'Field required');
  const { documents } = record;
  if (!Array.isArray(documents) || !documents.every((document) => typeof document === 'string')) {
    return validationError(['body', 'documents'], 'list_type', 'Input should be a valid list');
  }
  if (documents.length === 0 || documents.length > maxClientBatchSize) {
    return validationError(
      ['body', 'documents'],
      documents.length === 0 ? 'too_short' : 'too_long',
      `List should have at most ${maxClientBatchSize} items after validation, not ${documents.length}`,
    );
  }
  const topN = record.top_n;
  if (topN !== undefined && topN !== null && (typeof topN !== 'number' || topN <= 0)) {
    return validationError(['body', 'top_n'], 'greater_than', 'Input should be greater than 0');
  }
  const model = (record.model as string | undefined) ?? 'default/not-specified';
  if (models.length > 1 && !models.includes(model)) {
    return {
      status: 400,
      body: { error: { message: `Invalid model: ${model}`, type: null, param: null, code: 400 } },
    };
  }
  // Infinity strips each document's whitespace before scoring.
  const stripped = documents.map((document) => document.trim());
  const ranked = rank(
    record.query,
    stripped,
    record.raw_scores === true,
    (topN as number | null | undefined) ?? undefined,
  );
  const tokens = stripped.reduce(
    (sum, document) => sum + words(record.query as string).length + words(document).length,
    0,
  );
  return {
    status: 200,
    body: {
      object: 'rerank',
      results: ranked.map(({ index, score }) => ({
        relevance_score: score,
        index,
        document: record.return_documents === true ? documents[index] : null,
      })),
      model: models.length === 1 ? models[0] : model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
      id: responseId('infinity'),
      created: Math.floor(Date.now() / 1000),
    },
  };
}
