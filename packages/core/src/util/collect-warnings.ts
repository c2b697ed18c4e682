import type { WarningV1 } from '../spec/v1/shared-v1.js';

/**
 * Appends `warnings` to `target`, skipping any already there. Windows and batches of one call
 * often raise the same warning (one per window); the caller needs to read it once.
 */
export function collectWarnings(
  target: WarningV1[],
  warnings: readonly WarningV1[] | undefined,
): void {
  if (warnings === undefined) return;
  for (const warning of warnings) {
    const key = JSON.stringify(warning);
    if (!target.some((existing) => JSON.stringify(existing) === key)) target.push(warning);
  }
}
