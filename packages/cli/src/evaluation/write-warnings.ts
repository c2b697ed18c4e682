import type { CliContext } from '../cli-context.js';

/** Writes each warning as a `twostage: warning: ...` line on stderr. */
export function writeWarnings(warnings: readonly string[], context: CliContext): void {
  for (const warning of warnings) context.stderr.write(`twostage: warning: ${warning}\n`);
}
