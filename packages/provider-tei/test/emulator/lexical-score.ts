/** Lower-cased words (letters and digits of any script), NFC-normalised. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The share of the query's distinct words that the text holds, in [0, 1]. */
export function lexicalShare(query: string, text: string): number {
  const queryWords = new Set(words(query));
  if (queryWords.size === 0) return 0;
  const textWords = new Set(words(text));
  let shared = 0;
  for (const word of queryWords) if (textWords.has(word)) shared++;
  return shared / queryWords.size;
}
