/** Lower-cased words (letters and digits of any script), NFC-normalised. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * The emulators' relevance of `document` for `query`: the share of the query's distinct words
 * that the document holds, in [0, 1]. Deterministic and easy to predict in a test ("the document
 * holding every query word scores 1"), which a real model is not.
 */
export function lexicalShare(query: string, document: string): number {
  const queryWords = new Set(words(query));
  if (queryWords.size === 0) return 0;
  const documentWords = new Set(words(document));
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  return shared / queryWords.size;
}
