import {
  type MetadataFilter,
  type RetrievedCandidateV1,
  type RetrieveStageV1,
  retrieve,
} from '@twostage/core';

/** Stage 1's answer to one query, timed. */
export type StageOneRun = {
  /** The candidates, best first. */
  candidates: RetrievedCandidateV1[];
  /** Wall time of the retrieve call (retries included), in milliseconds. */
  retrieveMs: number;
};

/** Retrieves the `topK` candidates of one query with core's `retrieve` (retries, checks). */
export async function runStageOne(
  retriever: RetrieveStageV1,
  query: string,
  options: { topK: number; filter?: MetadataFilter | undefined; signal: AbortSignal },
): Promise<StageOneRun> {
  const startedAt = performance.now();
  const result = await retrieve({
    retriever,
    query,
    topK: options.topK,
    abortSignal: options.signal,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
  });
  return { candidates: result.candidates, retrieveMs: performance.now() - startedAt };
}
