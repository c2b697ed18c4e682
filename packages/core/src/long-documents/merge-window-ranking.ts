import type { RerankedDocument } from '../rerank/collect-window-ranking.js';
import type { LongDocumentPieces } from './split-long-documents.js';

/**
 * Folds a ranking of windows into a ranking of documents: each document keeps its best window's
 * score (the earliest window on a tie) and, when it was split, that window's span as `chunk`.
 * The result is in no particular order; the caller sorts it.
 *
 * @param windowRanking - entries whose `index` is a position in `pieces.texts`
 * @param documents - the caller's documents
 */
export function mergeWindowRanking<DOCUMENT>(
  windowRanking: readonly RerankedDocument<unknown>[],
  pieces: LongDocumentPieces,
  documents: readonly DOCUMENT[],
): RerankedDocument<DOCUMENT>[] {
  const best = new Map<number, { score: number; piece: number }>();
  for (const { index: piece, score } of windowRanking) {
    const owner = pieces.owners[piece] as number;
    const current = best.get(owner);
    if (
      current === undefined ||
      score > current.score ||
      (score === current.score && piece < current.piece)
    ) {
      best.set(owner, { score, piece });
    }
  }
  const ranking: RerankedDocument<DOCUMENT>[] = [];
  for (const [owner, { score, piece }] of best) {
    const entry: RerankedDocument<DOCUMENT> = {
      index: owner,
      score,
      document: documents[owner] as DOCUMENT,
    };
    const span = pieces.spans[piece];
    if (span !== undefined) entry.chunk = { start: span.start, end: span.end };
    ranking.push(entry);
  }
  return ranking;
}
