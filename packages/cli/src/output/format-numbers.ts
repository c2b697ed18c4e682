/** A metric or score with 3 decimals (`0.812`); `–` for a missing value. */
export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(3);
}

/** A signed difference with 3 decimals (`+0.125`, `−0.040`, `±0.000`). */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const rounded = value.toFixed(3);
  if (Number(rounded) === 0) return '±0.000';
  return value > 0 ? `+${rounded}` : `−${rounded.slice(1)}`;
}

/** Milliseconds for people: `0.42 ms`, `12.3 ms`, `1,234 ms`; `–` when missing. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}
