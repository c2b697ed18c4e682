import * as assert from 'node:assert/strict';

/** Asserts one vector per value, each a `Float32Array` of `dimensions` finite numbers. */
export function assertValidEmbeddings(
  embeddings: readonly Float32Array[],
  { count, dimensions, what }: { count: number; dimensions: number; what: string },
): void {
  assert.ok(Array.isArray(embeddings), `${what}: embeddings must be an array.`);
  assert.equal(embeddings.length, count, `${what}: expected one vector per value.`);
  for (const [position, vector] of embeddings.entries()) {
    assert.ok(
      vector instanceof Float32Array,
      `${what}: embeddings[${position}] is not a Float32Array.`,
    );
    assert.equal(
      vector.length,
      dimensions,
      `${what}: embeddings[${position}] has the wrong length.`,
    );
    for (const [component, value] of vector.entries()) {
      assert.ok(
        Number.isFinite(value),
        `${what}: embeddings[${position}][${component}] is ${value}.`,
      );
    }
  }
}

/** Asserts two vectors are equal component-wise within `tolerance`. */
export function assertVectorsClose(
  actual: Float32Array,
  expected: Float32Array,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ.`);
  for (let index = 0; index < expected.length; index += 1) {
    const difference = Math.abs((actual[index] ?? Number.NaN) - (expected[index] ?? Number.NaN));
    assert.ok(
      difference <= tolerance,
      `${what}: component ${index} differs by ${difference} (tolerance ${tolerance}).`,
    );
  }
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}
