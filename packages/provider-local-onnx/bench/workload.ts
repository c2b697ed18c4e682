import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../src/testing/index.js';

/** One rerank call of the benchmark: a query and its candidates. */
export type BenchCall = { query: string; documents: string[] };

/**
 * Whole-word vocabulary entries, so a text of N words is about N tokens: WordPiece words without
 * `##`, or Unigram pieces that start with `▁`.
 */
function singleTokenWords(modelDirectory: string): string[] {
  const tokenizer = JSON.parse(readFileSync(join(modelDirectory, 'tokenizer.json'), 'utf8'));
  const model = tokenizer.model as {
    type: string;
    vocab: Record<string, number> | [string, number][];
  };
  const entries =
    model.type === 'WordPiece'
      ? Object.keys(model.vocab)
      : (model.vocab as [string, number][]).map(([piece]) => piece);
  return model.type === 'WordPiece'
    ? entries.filter((entry) => /^[a-z]{3,}$/.test(entry))
    : entries.filter((entry) => /^▁[a-z]{3,}$/.test(entry)).map((entry) => entry.slice(1));
}

/**
 * Calls with a realistic length mix: queries of 8–20 words, documents of `documentWords` words
 * (30–400 by default), seeded so every implementation sees the same texts.
 */
export function makeCalls(
  modelDirectory: string,
  count: number,
  candidates: number,
  seed: number,
  documentWords: [number, number] = [30, 400],
  queryWords: [number, number] = [8, 20],
): BenchCall[] {
  const words = singleTokenWords(modelDirectory);
  const random = new SeededRandom(seed);
  const text = (length: number) => Array.from({ length }, () => random.pick(words)).join(' ');
  return Array.from({ length: count }, () => ({
    query: text(random.integer(...queryWords)),
    documents: Array.from({ length: candidates }, () => text(random.integer(...documentWords))),
  }));
}

/** Forward FLOPs of one sequence of `length` tokens (multiply-add = 2), from config.json. */
export function flopsPerSequence(config: Record<string, number>, length: number): number {
  const hidden = config.hidden_size ?? 0;
  const intermediate = config.intermediate_size ?? 4 * hidden;
  const layers = config.num_hidden_layers ?? 0;
  // Q, K, V and output projections 8·S·H², feed-forward 4·S·H·I, attention scores and mix 4·S²·H.
  return (
    layers *
    (8 * length * hidden * hidden +
      4 * length * hidden * intermediate +
      4 * length * length * hidden)
  );
}
