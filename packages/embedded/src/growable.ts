type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

/**
 * Returns `array` if it holds `length` elements, else a copy grown by half (at least to
 * `length`). The typed-array analogue of a vector's amortised growth.
 */
export function ensureLength<T extends TypedArray>(
  array: T,
  length: number,
  arrayType: TypedArrayConstructor<T>,
): T {
  if (array.length >= length) return array;
  const grown = new arrayType(Math.max(length, Math.ceil(array.length * 1.5), 16));
  (grown as Uint8Array).set(array as Uint8Array);
  return grown;
}
