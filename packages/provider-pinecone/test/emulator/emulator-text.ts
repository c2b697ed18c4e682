/**
 * The emulator's stand-ins for Pinecone's hosted models: deterministic, cheap, and with a real
 * (if crude) notion of relevance, so a query returns what a real model would put first.
 */

const ideograph = String.raw`\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}`;
const tokenPattern = new RegExp(
  `${ideograph}|\\p{Extended_Pictographic}|(?:(?!${ideograph})[\\p{L}\\p{N}\\p{M}])+`,
  'gu',
);

/**
 * Lowercase word tokens, Unicode-aware (NFKC first, so NFC and NFD Vietnamese agree; diacritics
 * kept; one token per ideograph). The emulator counts these as the models' "tokens".
 */
export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(tokenPattern) ?? [];
}

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A hashed bag of words, L2-normalised: each token adds ±1 to one of `dimensions` buckets. Texts
 * that share words get a high cosine, unrelated texts a cosine near 0, and the same text always
 * the same vector. Truncated to `maxTokens` tokens like a model's context.
 */
export function hashedEmbedding(
  text: string,
  dimensions: number,
  maxTokens = Number.POSITIVE_INFINITY,
): number[] {
  const vector = new Float64Array(dimensions);
  const tokens = tokenize(text).slice(0, maxTokens);
  for (const token of tokens) {
    const bucket = fnv1a(token) % dimensions;
    const sign = fnv1a(token, 0x12345678) & 1 ? 1 : -1;
    vector[bucket] = (vector[bucket] ?? 0) + sign;
  }
  let norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  // An empty text gets a fixed unit vector rather than zeros (cosine with zeros is undefined).
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  // Real embeddings are dense: a faint noise floor seeded by the text (2% of the norm) fills
  // every component, so request sizes are realistic, while similarities barely move.
  const random = mulberry32(fnv1a(tokens.join(' ')));
  const noise = 0.02 / Math.sqrt(dimensions);
  for (let index = 0; index < dimensions; index++) {
    vector[index] = (vector[index] ?? 0) / norm + noise * (random() * 2 - 1);
  }
  const denseNorm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return Array.from(vector, (value) => Math.fround(value / denseNorm));
}

/** A small seeded PRNG (mulberry32), numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pairwise relevance score in [0, 1]: the share of the query's distinct tokens the document
 * contains, nudged by how much of the document is about them. A document identical to the
 * query scores 1. Independent of the other documents in the call, as a cross-encoder's is.
 */
export function relevanceScore(
  query: string,
  document: string,
  maxDocumentTokens = Number.POSITIVE_INFINITY,
): number {
  const queryTokens = new Set(tokenize(query));
  if (queryTokens.size === 0) return 0;
  const documentTokens = tokenize(document).slice(0, Math.max(0, maxDocumentTokens));
  if (documentTokens.length === 0) return 0;
  const present = new Set(documentTokens);
  let matched = 0;
  for (const token of queryTokens) if (present.has(token)) matched += 1;
  let onTopic = 0;
  for (const token of documentTokens) if (queryTokens.has(token)) onTopic += 1;
  const coverage = matched / queryTokens.size;
  const density = onTopic / documentTokens.length;
  return coverage * (0.75 + 0.25 * density);
}
