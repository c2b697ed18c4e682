import { type RerankStageV1, type RetrievedCandidateV1, rerank } from '@twostage/core';

/** A reranker's full order of one query's candidates, timed. */
export type RerankRun = {
  /** Candidate ids, best first by rerank score. */
  ids: string[];
  /** The rerank score of each id. */
  scores: Map<string, number>;
  /** Wall time of the rerank call (every window and retry), in milliseconds. */
  rerankMs: number;
};

/**
 * Re-ranks every candidate (not only the top n), so stage-1 order and re-ranked order can be
 * compared at any cutoff and two rerankers can be compared on the same full set.
 */
export async function rerankCandidates(
  reranker: RerankStageV1,
  query: string,
  candidates: readonly RetrievedCandidateV1[],
  signal: AbortSignal,
): Promise<RerankRun> {
  const startedAt = performance.now();
  if (candidates.length === 0) return { ids: [], scores: new Map(), rerankMs: 0 };
  const result = await rerank({
    model: reranker,
    query,
    documents: candidates,
    abortSignal: signal,
  });
  const ids: string[] = [];
  const scores = new Map<string, number>();
  for (const { document, score } of result.ranking) {
    ids.push(document.id);
    scores.set(document.id, score);
  }
  return { ids, scores, rerankMs: performance.now() - startedAt };
}
