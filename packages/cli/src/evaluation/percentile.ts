/**
 * The `q`-th percentile (0..100) of `values` by linear interpolation between closest ranks (the
 * method numpy uses by default); `undefined` for no values.
 */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((left, right) => left - right);
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/** p50 and p95 of latencies in milliseconds. */
export type LatencySummary = { p50: number; p95: number };

/** The p50 and p95 of `values`, or `null` when there are none. */
export function summarizeLatency(values: readonly number[]): LatencySummary | null {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  return p50 === undefined || p95 === undefined ? null : { p50, p95 };
}

/** The arithmetic mean, or 0 for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
