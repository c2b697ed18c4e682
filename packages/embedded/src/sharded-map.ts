/** Sub-maps of a {@link ShardedMap}: a power of two, so a shard is a mask of the hash. */
const shardCount = 256;

/** A 32-bit hash of a string (31-multiplier polynomial, as Java's `String.hashCode`). */
function shardOf(key: string): number {
  let hash = key.length;
  for (let index = 0; index < key.length; index++) {
    hash = (Math.imul(hash, 31) + key.charCodeAt(index)) | 0;
  }
  return (hash ^ (hash >>> 16)) & (shardCount - 1);
}

/**
 * A string-keyed map spread over 256 `Map`s. A `Map` grows by rehashing every entry in one
 * step: at 524,288 entries one `set` took 0.96–1.04 s on the shared 2-core machine, which held
 * the event loop in the middle of a sliced million-document write. Sharded, each rehash moves a
 * 256th of the entries.
 */
export class ShardedMap<Value> {
  private readonly shards: Map<string, Value>[] = Array.from(
    { length: shardCount },
    () => new Map<string, Value>(),
  );
  private count = 0;

  /** Entries in the map. */
  get size(): number {
    return this.count;
  }

  /** The value under `key`, if any. */
  get(key: string): Value | undefined {
    return (this.shards[shardOf(key)] as Map<string, Value>).get(key);
  }

  /** Whether `key` has a value. */
  has(key: string): boolean {
    return (this.shards[shardOf(key)] as Map<string, Value>).has(key);
  }

  /** Sets the value under `key`. */
  set(key: string, value: Value): this {
    const shard = this.shards[shardOf(key)] as Map<string, Value>;
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const deleted = (this.shards[shardOf(key)] as Map<string, Value>).delete(key);
    if (deleted) this.count--;
    return deleted;
  }
}
