import { lexicalShare } from '@twostage/testkit';

export { words } from '@twostage/testkit';

/** The emulators' raw score (a logit-like value) for a share. */
export function rawScore(share: number): number {
  return 8 * share - 4;
}

/** Scores, sorts by score descending (ties by index) and cuts to `topN` when given. */
export function rank(
  query: string,
  documents: string[],
  raw: boolean,
  topN: number | undefined,
): { index: number; score: number }[] {
  const scored = documents.map((document, index) => {
    const share = lexicalShare(query, document);
    return { index, score: raw ? rawScore(share) : share };
  });
  scored.sort((left, right) => right.score - left.score || left.index - right.index);
  return topN === undefined ? scored : scored.slice(0, topN);
}
