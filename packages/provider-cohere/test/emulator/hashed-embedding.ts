import { words } from '@twostage/testkit';

/**
 * A deterministic unit vector for `text` by feature hashing: each word adds ±1 to one of
 * `dimensions` buckets. Texts sharing words get a high cosine similarity, so a vector search over
 * emulated embeddings finds lexically related documents. A text without words gets the first
 * basis vector.
 */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of words(text)) {
    const hash = fnv1a(word);
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + (hash >>> 31 === 1 ? -1 : 1);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
