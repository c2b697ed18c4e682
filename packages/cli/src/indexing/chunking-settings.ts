import type { ChunkUnit } from './chunk-text.js';

/** How `twostage index` cuts texts into chunks; saved in the manifest. */
export type ChunkingSettings = {
  /** How `size` and `overlap` are measured. */
  unit: ChunkUnit;
  /** The most a chunk holds, in `unit`s. */
  size: number;
  /** How much of a chunk's end the next one repeats at most, in `unit`s. */
  overlap: number;
};

/**
 * The defaults per unit. 200 word tokens make about 250–330 model tokens in English or
 * Vietnamese, which fits a cross-encoder's 512-token window together with the query (longer
 * passages would be cut off unseen by the reranker) and is about the length of the passages
 * rerankers are trained on (MS MARCO, BEIR). An overlap of 40 (20 %) lets a statement that
 * straddles a cut appear whole in one of the two chunks. 1,000 characters ≈ 170 English words.
 */
export const defaultChunking: Readonly<Record<ChunkUnit, ChunkingSettings>> = {
  tokens: { unit: 'tokens', size: 200, overlap: 40 },
  chars: { unit: 'chars', size: 1000, overlap: 200 },
};

/** Whether two chunking settings cut every text the same way. */
export function sameChunking(left: ChunkingSettings, right: ChunkingSettings): boolean {
  return left.unit === right.unit && left.size === right.size && left.overlap === right.overlap;
}
