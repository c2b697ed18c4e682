import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** What one run of an example script printed and how it exited. */
export type ExampleRun = { code: number; stdout: string; stderr: string };

const tsxLoader = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/**
 * Runs `script` of this example in its own Node process, as `pnpm start` does (TypeScript through
 * tsx, workspace packages from their sources), with exactly `env` plus PATH and HOME, bounded
 * by `timeoutMs`. A non-zero exit is returned, not thrown.
 */
export async function runExample(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ExampleRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@twostage/source', '--import', tsxLoader, script, ...args],
      {
        cwd: dirname(new URL(import.meta.url).pathname),
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: timeoutMs,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
