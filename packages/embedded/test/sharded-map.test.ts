import { describe, expect, test } from 'vitest';
import { ShardedMap } from '../src/sharded-map.js';

describe('ShardedMap (the id index of a namespace)', () => {
  test('behaves as a Map: get, has, set, delete and size', () => {
    const map = new ShardedMap<number>();
    const keys = Array.from({ length: 2000 }, (_, index) => `id-${index}-đ`);
    keys.forEach((key, index) => {
      map.set(key, index);
    });
    map.set('id-7-đ', 70);
    expect(map.size).toBe(2000);
    expect(map.get('id-7-đ')).toBe(70);
    expect(map.get('id-1999-đ')).toBe(1999);
    expect(map.has('missing')).toBe(false);
    expect(map.get('')).toBeUndefined();
    expect(map.delete('id-3-đ')).toBe(true);
    expect(map.delete('id-3-đ')).toBe(false);
    expect([map.size, map.has('id-3-đ'), map.get('id-4-đ')]).toEqual([1999, false, 4]);
    map.set('', -1);
    expect([map.size, map.get('')]).toEqual([2000, -1]);
  });
});
