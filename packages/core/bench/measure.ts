/**
 * Small helpers shared by the bench sections: timing loops and a plain-text table. Figures are
 * printed, never asserted: a benchmark is a script, not a test.
 */

/** Summary of one series of timings, in milliseconds. */
export type Timing = { median: number; p95: number; mean: number; samples: number };

/** The `fraction` quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] as number;
}

/** Summarises raw timings (milliseconds). */
export function summarise(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((left, right) => left - right);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    mean,
    samples: samples.length,
  };
}

/**
 * Times several async variants, interleaved iteration by iteration so that drift (a GC, a
 * frequency change, another process) hits every variant alike. Returns raw timings per variant.
 */
export async function timeInterleaved(
  variants: readonly (() => PromiseLike<unknown>)[],
  { warmup, iterations }: { warmup: number; iterations: number },
): Promise<number[][]> {
  for (let iteration = 0; iteration < warmup; iteration++) {
    for (const variant of variants) await variant();
  }
  const samples = variants.map(() => new Array<number>(iterations));
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let index = 0; index < variants.length; index++) {
      const startedAt = performance.now();
      await (variants[index] as () => PromiseLike<unknown>)();
      (samples[index] as number[])[iteration] = performance.now() - startedAt;
    }
  }
  return samples;
}

/** Formats milliseconds as microseconds with one decimal, for small overheads. */
export function microseconds(ms: number): string {
  return `${(ms * 1000).toFixed(1)} µs`;
}

/** Prints rows as an aligned plain-text table (first column left-aligned, the rest right). */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}
