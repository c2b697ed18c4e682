import { describe, expect, test } from 'vitest';
import { percentile, summarizeLatency } from '../src/evaluation/percentile.js';

describe('latency percentiles (linear interpolation between closest ranks)', () => {
  test('hand-computed p50 and p95', () => {
    // sorted 10 20 30 40: p50 at position 0.5·3 = 1.5 → 20 + 0.5·10 = 25;
    // p95 at position 0.95·3 = 2.85 → 30 + 0.85·10 = 38.5.
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([40, 10, 30, 20], 95)).toBeCloseTo(38.5, 12);
    expect(summarizeLatency([7])).toEqual({ p50: 7, p95: 7 });
    expect(summarizeLatency([])).toBeNull();
  });
});
