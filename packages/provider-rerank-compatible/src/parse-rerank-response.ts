import { InvalidResponseError, type RankedIndexV1 } from '@twostage/core';

/** What this provider reads from a rerank answer of any of its three shapes. */
export type ParsedRerankResponse = {
  /** Sorted by score descending, ties by input order. */
  ranking: RankedIndexV1[];
  id: string | undefined;
  modelId: string | undefined;
  /** `usage.prompt_tokens` (vLLM, Infinity, Jina) or `meta.billed_units.input_tokens` (Cohere). */
  inputTokens: number | undefined;
  /** `meta.billed_units.search_units` (Cohere). */
  searchUnits: number | undefined;
};

/**
 * Reads the JSON text of a 2xx answer: `{ results: [{ index, relevance_score, document? }], id?,
 * model?, usage?, meta? }`, the common core of Cohere v2, vLLM (no `meta`), Jina and Infinity.
 * Anything else is an `InvalidResponseError` (never retried: a server that answers garbage with
 * a success does so again).
 *
 * @param documentCount - how many documents were sent, so indices can be checked
 */
export function parseRerankResponse({
  text,
  documentCount,
  topN,
  provider,
  modelId,
}: {
  text: string;
  documentCount: number;
  topN: number | undefined;
  provider: string;
  modelId: string;
}): ParsedRerankResponse {
  const fail = (message: string): never => {
    throw new InvalidResponseError({ provider, modelId, message });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`the body of a successful answer is not JSON (${text.length} characters).`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('the body is not a JSON object.');
  }
  const body = value as {
    results?: unknown;
    id?: unknown;
    model?: unknown;
    usage?: { prompt_tokens?: unknown; total_tokens?: unknown } | null;
    meta?: { billed_units?: { search_units?: unknown; input_tokens?: unknown } | null } | null;
  };
  if (!Array.isArray(body.results)) return fail("the body has no 'results' array.");
  const limit = Math.min(documentCount, topN ?? documentCount);
  if (body.results.length > limit) {
    fail(`it holds ${body.results.length} results for ${limit} expected at most.`);
  }
  const seen = new Set<number>();
  const ranking = body.results.map((result: unknown, position): RankedIndexV1 => {
    const { index, relevance_score: score } = (result ?? {}) as {
      index?: unknown;
      relevance_score?: unknown;
    };
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= documentCount
    ) {
      fail(`results[${position}].index is not a document index below ${documentCount}.`);
    }
    if (seen.has(index as number)) fail(`results[${position}].index ${String(index)} is repeated.`);
    seen.add(index as number);
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      fail(`results[${position}].relevance_score is not a finite number.`);
    }
    return { index: index as number, score: score as number };
  });
  // The engines sort already; a compatible gateway might not. Ties keep input order.
  ranking.sort((left, right) => right.score - left.score || left.index - right.index);
  const tokens =
    body.usage?.prompt_tokens ?? body.usage?.total_tokens ?? body.meta?.billed_units?.input_tokens;
  const searchUnits = body.meta?.billed_units?.search_units;
  return {
    ranking,
    id: typeof body.id === 'string' ? body.id : undefined,
    modelId: typeof body.model === 'string' ? body.model : undefined,
    inputTokens: typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : undefined,
    searchUnits:
      typeof searchUnits === 'number' && Number.isFinite(searchUnits) ? searchUnits : undefined,
  };
}
