import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** The `file:` URL of a module of this package's TypeScript sources (`src/index.ts`, ...). */
export function sourceModuleUrl(...path: string[]): string {
  return pathToFileURL(join(packageRoot, 'src', ...path)).href;
}

/**
 * Writes `body` (ES module code that may `await import(sourceModuleUrl(...))`) to `file` behind
 * tsx's loader, runs it in a separate Node process and returns its exit code and output; killed
 * after `timeoutMs`.
 */
export async function runSourceScript(
  file: string,
  body: string[],
  timeoutMs = 45_000,
): Promise<{ code: number | null; output: string }> {
  const tsxApi = pathToFileURL(
    join(
      createRequire(join(packageRoot, 'package.json')).resolve('tsx/package.json'),
      '..',
      'dist/esm/api/index.mjs',
    ),
  ).href;
  await writeFile(
    file,
    [`const api = await import(${JSON.stringify(tsxApi)});`, 'api.register();', ...body].join('\n'),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@twostage/source', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
