import { InvalidResponseError } from '../errors/invalid-response-error.js';
import type { RerankStageV1, RerankStageV1Result, TextSpanV1 } from '../spec/v1/rerank-stage-v1.js';
import type { WarningV1 } from '../spec/v1/shared-v1.js';
import { describe } from '../util/validate-arguments.js';

/** One entry of a merged ranking: the document's position in the caller's input, its score, itself. */
export type RerankedDocument<DOCUMENT> = {
  /** Position of the document in the `documents` given to `rerank`. */
  index: number;
  /** The model's relevance score; its meaning and range follow the model's `scoreKind`. */
  score: number;
  /** The caller's document, the same value that was passed in (never copied or modified). */
  document: DOCUMENT;
  /**
   * With `longDocuments: { strategy: 'chunk-max' }`, for a document that was split: the window
   * that gave the score, as offsets into the document's text (`text.slice(start, end)`), so an
   * app can show the passage. Reranking that passage alone gives the same score.
   */
  chunk?: TextSpanV1;
};

/**
 * Checks one window's ranking against the contract (an array of entries with an integer index
 * in range, unique within the window, and a finite score) and appends it to `target` with the
 * indices remapped to the caller's input (`offset + index`) and the documents re-attached.
 *
 * @returns a warning when the stage returned fewer entries than asked for, else `undefined`
 */
export function collectWindowRanking<DOCUMENT>(
  target: RerankedDocument<DOCUMENT>[],
  result: RerankStageV1Result,
  {
    model,
    documents,
    offset,
    length,
    expected,
  }: {
    model: RerankStageV1;
    documents: readonly DOCUMENT[];
    offset: number;
    length: number;
    expected: number;
  },
): WarningV1 | undefined {
  const ranking = (result as { ranking?: unknown } | undefined)?.ranking;
  if (!Array.isArray(ranking)) {
    throw invalid(model, `'ranking' must be an array, got ${describe(ranking)}.`);
  }
  const seen = new Uint8Array(length);
  for (let position = 0; position < ranking.length; position++) {
    const entry = ranking[position] as { index?: unknown; score?: unknown } | null | undefined;
    const index = entry?.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= length) {
      throw invalid(
        model,
        `ranking[${position}].index must be an integer in [0, ${length - 1}], got ${describe(index)}.`,
      );
    }
    if (seen[index] === 1) {
      throw invalid(model, `ranking[${position}].index ${index} appears more than once.`);
    }
    seen[index] = 1;
    const score = entry?.score;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw invalid(
        model,
        `ranking[${position}].score must be a finite number, got ${describe(score)}.`,
      );
    }
    if (!withinScoreKind(model.scoreKind, score)) {
      throw invalid(
        model,
        `ranking[${position}].score ${score} is outside ${model.scoreKind === 'probability' ? '[0, 1]' : '[-1, 1]'}, the range of its declared scoreKind '${model.scoreKind}'.`,
      );
    }
    const globalIndex = offset + index;
    target.push({ index: globalIndex, score, document: documents[globalIndex] as DOCUMENT });
  }
  if (ranking.length < expected) {
    return {
      type: 'other',
      message: `${model.provider}:${model.modelId} returned ${ranking.length} results where ${expected} were asked for; the missing documents are left out of the ranking.`,
    };
  }
  return undefined;
}

/** Rounding slack: a sigmoid computed in float32 may land a hair outside [0, 1]. */
const scoreRangeSlack = 1e-6;

/** Whether `score` lies in the range its stage's `scoreKind` promises (logits are unbounded). */
function withinScoreKind(scoreKind: RerankStageV1['scoreKind'], score: number): boolean {
  if (scoreKind === 'probability') return score >= -scoreRangeSlack && score <= 1 + scoreRangeSlack;
  if (scoreKind === 'similarity')
    return score >= -1 - scoreRangeSlack && score <= 1 + scoreRangeSlack;
  return true;
}

function invalid(model: RerankStageV1, message: string): InvalidResponseError {
  return new InvalidResponseError({ provider: model.provider, modelId: model.modelId, message });
}
