import type { RetrievedCandidateV1 } from '@twostage/core';

/** One labeled training pair for a cross-encoder: 1 relevant, 0 not. */
export type TrainingPair = { query: string; passage: string; label: 0 | 1 };

/**
 * The pairs of one query: every document judged relevant (grade > 0) labelled 1, then the
 * `negativesPerQuery` best-ranked stage-1 candidates that are not judged relevant, labelled 0 —
 * hard negatives, the passages stage 1 confuses with answers. A candidate judged 0 counts as a
 * negative (it was judged not relevant). Positives are looked up among the candidates first,
 * then with `lookup` (the index); ids found in neither are returned in `missing`.
 */
export function mineTrainingPairs(input: {
  query: string;
  judgments: Readonly<Record<string, number>>;
  candidates: readonly RetrievedCandidateV1[];
  negativesPerQuery: number;
  lookup: (id: string) => { text: string } | undefined;
}): { pairs: TrainingPair[]; missing: string[] } {
  const pairs: TrainingPair[] = [];
  const missing: string[] = [];
  const byId = new Map(input.candidates.map((candidate) => [candidate.id, candidate]));
  const relevantIds = Object.keys(input.judgments)
    .filter((id) => (input.judgments[id] ?? 0) > 0)
    .sort();
  for (const id of relevantIds) {
    const text = byId.get(id)?.text ?? input.lookup(id)?.text;
    if (text === undefined) missing.push(id);
    else pairs.push({ query: input.query, passage: text, label: 1 });
  }
  let negatives = 0;
  for (const candidate of input.candidates) {
    if (negatives >= input.negativesPerQuery) break;
    if ((input.judgments[candidate.id] ?? 0) > 0) continue;
    pairs.push({ query: input.query, passage: candidate.text, label: 0 });
    negatives += 1;
  }
  return { pairs, missing };
}
