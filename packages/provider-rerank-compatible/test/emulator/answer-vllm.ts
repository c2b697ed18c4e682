import { responseId } from './engine-emulator.js';
import type { Answer } from './engine-types.js';
import { rank, words } from './lexical-score.js';

/** Fields vLLM's `RerankRequest` declares (reference: vLLM "Rerank request"). */
const vllmFields = new Set([
  'model',
  'query',
  'documents',
  'top_n',
  'truncate_prompt_tokens',
  'truncation_side',
  'max_tokens_per_query',
  'max_tokens_per_doc',
  'use_activation',
  'instruction',
  'chat_template_kwargs',
  'priority',
  'request_id',
  'padding',
  'cache_salt',
  'user',
]);
/** Extra fields vLLM drops silently (`extra="allow"`) that a Jina-shaped client sends. */
const droppedFields = new Set(['return_documents']);

function vllmError(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
): Answer {
  return { status, body: { error: { message, type, param, code: status } } };
}

/** vLLM's rerank handler, as in `shared/reference/serving-engines.md`. */
export function answerVllm({
  path,
  headers,
  body,
  apiKey,
  models,
  violations,
}: {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  apiKey: string | undefined;
  models: string[];
  violations: string[];
}): Answer {
  // The auth middleware guards only /v1 and /v2 paths; scheme matched case-insensitively.
  if (apiKey !== undefined && /^\/v[12]\//.test(path)) {
    const match = /^bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    if (match?.[1] !== apiKey) return { status: 401, body: { error: 'Unauthorized' } };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return vllmError(400, 'Bad Request', 'body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!vllmFields.has(key) && !droppedFields.has(key))
      violations.push(`vLLM got an unknown field '${key}'`);
  }
  const model = record.model;
  if (model !== undefined && model !== null && model !== '' && !models.includes(model as string)) {
    return vllmError(
      404,
      'NotFoundError',
      `The model \`${String(model)}\` does not exist.`,
      'model',
    );
  }
  if (typeof record.query !== 'string')
    return vllmError(400, 'Bad Request', 'query: Field required');
  const documents = typeof record.documents === 'string' ? [record.documents] : record.documents;
  if (!Array.isArray(documents) || !documents.every((document) => typeof document === 'string')) {
    return vllmError(400, 'Bad Request', 'documents: Input should be a valid list');
  }
  const topN = record.top_n ?? 0;
  if (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 0) {
    return vllmError(400, 'Bad Request', 'top_n: Input should be greater than or equal to 0');
  }
  const maxTokens = record.max_tokens_per_doc;
  const cut = (document: string) =>
    typeof maxTokens === 'number' && maxTokens > 0
      ? words(document).slice(0, maxTokens).join(' ')
      : document;
  const ranked = rank(
    record.query,
    documents.map(cut),
    record.use_activation === false,
    topN > 0 && topN < documents.length ? topN : undefined,
  );
  const tokens = documents.reduce(
    (sum, document) => sum + words(record.query as string).length + words(document).length,
    0,
  );
  return {
    status: 200,
    body: {
      id: responseId('vllm'),
      model: typeof model === 'string' && model !== '' ? model : models[0],
      usage: { prompt_tokens: tokens, total_tokens: tokens },
      results: ranked.map(({ index, score }) => ({
        index,
        document: { text: documents[index], multi_modal: null },
        relevance_score: score,
      })),
    },
  };
}
