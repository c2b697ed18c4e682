import { InvalidResponseError, type RankedIndexV1 } from '@twostage/core';

/**
 * Reads the JSON text of a 2xx `/rerank` answer: an array of `{ index, score, text? }`, one per
 * text sent. Indices are shifted by `offset` (the window's start). Anything else is an
 * `InvalidResponseError` (never retried).
 */
export function parseTeiRerankResponse({
  text,
  documentCount,
  offset,
  modelId,
}: {
  text: string;
  documentCount: number;
  offset: number;
  modelId: string;
}): RankedIndexV1[] {
  const fail = (message: string): never => {
    throw new InvalidResponseError({ provider: 'tei', modelId, message });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`the body of a successful /rerank answer is not JSON (${text.length} characters).`);
  }
  if (!Array.isArray(value)) return fail('the /rerank answer is not a JSON array.');
  if (value.length !== documentCount) {
    fail(`it holds ${value.length} ranks for ${documentCount} texts sent.`);
  }
  const seen = new Set<number>();
  return value.map((rank: unknown, position): RankedIndexV1 => {
    const { index, score } = (rank ?? {}) as { index?: unknown; score?: unknown };
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= documentCount
    ) {
      fail(`[${position}].index is not a text index below ${documentCount}.`);
    }
    if (seen.has(index as number)) fail(`[${position}].index ${String(index)} is repeated.`);
    seen.add(index as number);
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      fail(`[${position}].score is not a finite number.`);
    }
    return { index: (index as number) + offset, score: score as number };
  });
}
