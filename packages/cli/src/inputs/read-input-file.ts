import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

/**
 * Reads a UTF-8 input file named by a flag (`--queries`, `--qrels`), resolved against the
 * context's cwd. A missing, unreadable or directory path becomes one line naming the flag and the
 * path, never a stack trace.
 *
 * @throws CliError naming the flag and the path
 */
export async function readInputFile(
  path: string,
  flag: string,
  context: CliContext,
): Promise<string> {
  try {
    return await readFile(resolve(context.cwd, path), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : `cannot be read (${String(code ?? (error as Error).message)})`;
    throw new CliError(`${flag} '${path}': ${why}.`, {
      hint: `Check the path (relative paths start at ${context.cwd}).`,
      cause: error,
    });
  }
}

/** The lines of a text file, without line terminators (CRLF files included). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  // A byte-order mark would otherwise become part of the first field.
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  return lines;
}
