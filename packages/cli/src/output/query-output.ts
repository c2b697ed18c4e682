import type { DocumentMetadata } from '@twostage/core';

/** What `twostage query --json` prints, exactly. */
export type QueryOutput = {
  query: string;
  results: {
    id: string;
    text: string;
    metadata: DocumentMetadata;
    /** `null` when not re-ranked (degraded). */
    rerankScore: number | null;
    retrieveScore: number;
    retrieveRank: number;
  }[];
  timings: { retrieveMs: number; rerankMs: number; totalMs: number };
  /** Whether the results are in stage-1 order because no reranker could run. */
  degraded: boolean;
  /** Warnings of both stages and of the CLI, as messages. */
  warnings: string[];
};
