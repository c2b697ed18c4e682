/**
 * The known name a misspelt one was most likely meant to be: the same name in other letter case
 * or snake_case (`latencyMS`, `top_n`), a known name it is the end of (`topK` →
 * `retrieveTopK`), or the nearest within two edits (`maxDocumentPerCall`). `undefined` when
 * none is that close, so an unrelated name gets no misleading suggestion.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lowered = name.toLowerCase().replaceAll('_', '');
  const sameLetters = known.find((candidate) => candidate.toLowerCase() === lowered);
  if (sameLetters !== undefined) return sameLetters;
  if (lowered.length >= 3) {
    const suffixOf = known.find((candidate) => candidate.toLowerCase().endsWith(lowered));
    if (suffixOf !== undefined) return suffixOf;
  }
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from one to the other. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_value, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution =
        (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current[column] = Math.min(
        (previous[column] ?? 0) + 1,
        (current[column - 1] ?? 0) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
