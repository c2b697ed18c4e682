import { formatMs } from './format-numbers.js';
import { renderTable } from './render-table.js';

/** p50 / p95 of one stage, in milliseconds; absent when it did not run. */
type Latency = { p50?: number | null; p95?: number | null } | null | undefined;

/** The `latency  p50  p95` table that `eval` and `compare` print, one row per stage. */
export function renderLatencyTable(rows: readonly [label: string, latency: Latency][]): string {
  return renderTable(
    [{ header: 'latency' }, { header: 'p50', align: 'right' }, { header: 'p95', align: 'right' }],
    rows.map(([label, latency]) => [label, formatMs(latency?.p50), formatMs(latency?.p95)]),
  );
}
