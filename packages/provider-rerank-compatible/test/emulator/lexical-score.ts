/** Lower-cased words (letters and digits of any script), NFC-normalised. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The share of the query's distinct words that the document holds, in [0, 1]. */
export function lexicalShare(query: string, document: string): number {
  const queryWords = new Set(words(query));
  if (queryWords.size === 0) return 0;
  const documentWords = new Set(words(document));
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  return shared / queryWords.size;
}

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
