import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex } from '../src/open-index.js';
import {
  searchIds,
  temporaryDirectory,
  testContext,
} from './fixtures/indexing/index-test-helpers.js';
import { binPath, runTwostage } from './helpers/run-twostage.js';

let directory: { path: string; remove: () => Promise<void> };
let cwd: string;
beforeEach(async () => {
  directory = await temporaryDirectory();
  cwd = directory.path;
});
afterEach(() => directory.remove());

/** Enough files that reading them takes far longer than a signal takes to arrive. */
async function writeLargeCorpus(folder: string, files: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let file = 0; file < files; file++) {
    const sentences = Array.from(
      { length: 60 },
      (_, index) =>
        `Banana clause ${file}-${index} sets the fee for product ${(file * 7 + index) % 97}.`,
    );
    await writeFile(
      join(folder, `policy-${String(file).padStart(4, '0')}.txt`),
      sentences.join(' '),
    );
  }
}

/**
 * Starts `twostage index` as a user would, sends SIGINT (Ctrl-C) as soon as it prints its first
 * progress line, and resolves with its exit code and output.
 */
function indexAndInterrupt(
  args: readonly string[],
): Promise<{ code: number | null; stderr: string; signalled: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let signalled = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (!signalled && /^reading: \d+\/\d+ files$/m.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, signalled }));
  });
}

describe('twostage index: Ctrl-C', () => {
  it('leaves the previous index intact, loadable and with its old content', async () => {
    await mkdir(join(cwd, 'docs'));
    await writeFile(
      join(cwd, 'docs', 'policy.txt'),
      'Apple orchard loans carry no early repayment fee.',
    );
    expect((await runTwostage(['index', 'docs', '--out', 'idx'], { cwd })).code).toBe(0);
    const manifestBefore = await readFile(join(cwd, 'idx', 'twostage-index.json'), 'utf8');
    const engineManifestBefore = await readFile(
      join(cwd, 'idx', 'engine', 'manifest.json'),
      'utf8',
    );

    // The next run would change the old file and add 1,500 new ones.
    await writeFile(join(cwd, 'docs', 'policy.txt'), 'Banana plantation loans carry a fee.');
    await writeLargeCorpus(join(cwd, 'docs', 'bulk'), 1500);
    const interrupted = await indexAndInterrupt([
      'index',
      'docs',
      '--out',
      'idx',
      '--progress',
      'plain',
    ]);
    expect(interrupted.signalled).toBe(true);
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toContain(
      "twostage: interrupted: nothing was written; the index in 'idx' is as it was.\n  → Run the same command again to index.\n",
    );

    // Byte for byte the previous files, and an index that loads and answers with the OLD content.
    expect(await readFile(join(cwd, 'idx', 'twostage-index.json'), 'utf8')).toBe(manifestBefore);
    expect(await readFile(join(cwd, 'idx', 'engine', 'manifest.json'), 'utf8')).toBe(
      engineManifestBefore,
    );
    const retriever = await openIndex('idx', testContext(cwd));
    expect(retriever.size()).toBe(1);
    expect(retriever.get('docs/policy.txt#0')?.text).toBe(
      'Apple orchard loans carry no early repayment fee.',
    );
    expect(await searchIds(cwd, 'idx', 'apple orchard')).toEqual(['docs/policy.txt#0']);
    expect(await searchIds(cwd, 'idx', 'banana')).toEqual([]);

    // The same run, not interrupted, does replace the content: the interruption is what kept it.
    const completed = await runTwostage(['index', 'docs', '--out', 'idx'], {
      cwd,
      timeoutMs: 240_000,
    });
    expect(completed.code).toBe(0);
    expect(completed.stdout).toMatch(/files 1500 added, 1 updated, 0 removed, 0 unchanged/);
    expect(await searchIds(cwd, 'idx', 'banana plantation', 1)).toEqual(['docs/policy.txt#0']);
  }, 300_000);
});
