import type { WarningV1 } from '../spec/v1/shared-v1.js';

/** What `onStageStart` receives when a stage of a two-stage search begins. */
export type StageStartEvent = {
  /** Which stage. */
  stage: 'retrieve' | 'rerank';
  /** `provider:modelId` of the stage as configured (a chain's members are in its model id). */
  model: string;
  /** The search's query. */
  query: string;
  /** For `rerank`: how many candidates it is given. */
  candidates?: number;
};

/** What `onStageEnd` receives when a stage ends, well or not. */
export type StageEndEvent = {
  stage: 'retrieve' | 'rerank';
  model: string;
  /** `provider:modelId` of the stage that answered; `null` when none did. */
  servedBy: string | null;
  /** Wall time of the stage, retries included, in milliseconds. */
  durationMs: number;
  /** Candidates found (`retrieve`) or results kept (`rerank`). */
  count: number;
  /** For `rerank`: model calls made, retries included. */
  calls?: number;
  /** For `rerank` through `withCache`: documents the cache answered, and those it asked for. */
  cacheHits?: number;
  cacheMisses?: number;
  /** For `rerank`: whether the search fell back to stage-1 order. */
  degraded?: boolean;
  /**
   * For `rerank`: how far re-ranking moved the results, |stage-1 rank − final rank|, as the
   * mean and the largest over the results kept. 0 means the reranker agreed with stage 1.
   */
  displacement?: { mean: number; max: number };
  /** The stage's error, when it failed. */
  error?: unknown;
};

/** The listeners of a search. */
export type StageListeners = {
  onStageStart?: ((event: StageStartEvent) => void) | undefined;
  onStageEnd?: ((event: StageEndEvent) => void) | undefined;
};

/**
 * Calls a listener. A listener that throws must not fail the search it observes: its error
 * becomes a warning of the result instead.
 */
export function emitStageEvent<EVENT>(
  listener: ((event: EVENT) => void) | undefined,
  event: EVENT,
  warnings: WarningV1[],
): void {
  if (listener === undefined) return;
  try {
    listener(event);
  } catch (error) {
    warnings.push({
      type: 'other',
      message: `A stage listener threw (the search went on): ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/** Mean and largest |stage-1 rank − final rank| over the results. */
export function rankDisplacement(results: readonly { retrieveRank: number }[]): {
  mean: number;
  max: number;
} {
  let total = 0;
  let max = 0;
  results.forEach((result, index) => {
    const moved = Math.abs(result.retrieveRank - (index + 1));
    total += moved;
    if (moved > max) max = moved;
  });
  return { mean: results.length === 0 ? 0 : total / results.length, max };
}
