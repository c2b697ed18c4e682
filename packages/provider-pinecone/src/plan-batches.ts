/** One request's worth of items, with its serialised size. */
export type PlannedBatch<T> = { items: T[]; bytes: number };

/**
 * Splits `items` into consecutive batches of at most `maxItems` items and at most `maxBytes`
 * bytes, where a batch weighs `overheadBytes` plus each item's size plus one separator byte
 * between items (the comma of a JSON array, the newline of NDJSON). Input order is kept. An item
 * too large for any batch gets a batch of its own (the request will fail, and only that item
 * with it).
 */
export function planBatches<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  {
    maxItems,
    maxBytes,
    overheadBytes,
  }: { maxItems: number; maxBytes: number; overheadBytes: number },
): PlannedBatch<T>[] {
  const batches: PlannedBatch<T>[] = [];
  let current: PlannedBatch<T> = { items: [], bytes: overheadBytes };
  for (const item of items) {
    const size = sizeOf(item);
    const separator = current.items.length === 0 ? 0 : 1;
    if (
      current.items.length > 0 &&
      (current.items.length >= maxItems || current.bytes + separator + size > maxBytes)
    ) {
      batches.push(current);
      current = { items: [], bytes: overheadBytes };
    }
    current.bytes += (current.items.length === 0 ? 0 : 1) + size;
    current.items.push(item);
  }
  if (current.items.length > 0) batches.push(current);
  return batches;
}

/** The UTF-8 length of `value` serialised as JSON. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
