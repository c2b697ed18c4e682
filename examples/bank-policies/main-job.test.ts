import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const script = fileURLToPath(new URL('./main-job.sh', import.meta.url));
const builtCli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** A loopback URL where nothing listens: the hub of a machine without network. */
async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'twostage-main-job-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the main job (examples/bank-policies/main-job.sh)', () => {
  test('offline, with an empty model cache, it still completes: one notice, stage-1 answers marked not re-ranked, the eval summary', async () => {
    expect(existsSync(builtCli), `${builtCli} is missing: run pnpm build first`).toBe(true);
    const questions = (await readFile(new URL('./questions.txt', import.meta.url), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const { stdout, stderr } = await promisify(execFile)('bash', [script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        TWOSTAGE_CACHE_DIR: join(home, 'cache'),
        HF_ENDPOINT: await closedEndpoint(),
      },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    }); // rejects on a non-zero exit code
    expect(stdout).toContain('$ twostage index examples/bank-policies/corpus.jsonl --out ');
    expect(stdout.split('\n$ twostage query ').length - 1).toBe(questions.length);
    for (const question of questions) expect(stdout).toContain(question);
    expect(stdout.split('NOT RE-RANKED').length - 1).toBe(questions.length);
    expect(stdout).toContain('$ twostage eval --index ');
    const notices = stderr
      .split('\n')
      .filter((line) => line.startsWith('twostage: not re-ranked: '));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      'the default reranker cross-encoder/mmarco-mMiniLMv2-L12-H384-v1 is not in the model cache and the hub could not be reached',
    );
    expect(stderr).toContain('twostage models pull cross-encoder/mmarco-mMiniLMv2-L12-H384-v1');
    expect(stderr).not.toContain('    at ');
  });
  test('with TWOSTAGE_RERANKER set, the answers are re-ranked and the eval compares both orders', async () => {
    const { stdout, stderr } = await promisify(execFile)('bash', [script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        TWOSTAGE_CACHE_DIR: join(home, 'cache'),
        HF_ENDPOINT: await closedEndpoint(),
        TWOSTAGE_RERANKER: 'mock',
      },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stderr).not.toContain('not re-ranked');
    expect(stdout).not.toContain('NOT RE-RANKED');
    expect(stdout).not.toContain('the first question downloads');
    expect(stdout).toContain('Stage 2: mock:mock-reranker (stand-in: term overlap, not a model)');
    expect(stdout).toMatch(/precision@5 +\d\.\d{3} +\d\.\d{3}/);
  });
});
