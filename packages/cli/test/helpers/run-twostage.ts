import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built binary the tests run, as a user's shell would. */
export const binPath = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What one run of the binary printed and how it exited. */
export type TwostageRun = { code: number; stdout: string; stderr: string };

/**
 * Runs `node dist/bin.js ...args` in `cwd` with exactly `env` (plus PATH and HOME, and a private
 * model cache unless given), bounded by `timeoutMs`. Never throws for a non-zero exit: the code
 * is part of what tests assert.
 *
 * @throws Error when the binary is missing or older than the sources (run `pnpm build`)
 */
export async function runTwostage(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; input?: string },
): Promise<TwostageRun> {
  assertBuilt();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function assertBuilt(): void {
  const source = fileURLToPath(new URL('../../src/run-cli.ts', import.meta.url));
  if (!existsSync(binPath) || statSync(binPath).mtimeMs < statSync(source).mtimeMs) {
    throw new Error(`${binPath} is missing or older than the sources: run 'pnpm build' first.`);
  }
}
