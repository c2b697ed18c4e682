import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { CliContext } from '../src/cli-context.js';
import { runCli } from '../src/run-cli.js';
import { makeTempDirectory, writeTinyCrossEncoder } from './eval-test-fixtures.js';

function context(env: Record<string, string>, controller = new AbortController()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const value: CliContext = { cwd: process.cwd(), env, stdout, stderr, signal: controller.signal };
  return { value, controller, out: () => out, err: () => err };
}

describe('twostage serve', () => {
  test('refuses to start without tokens unless --insecure-no-auth', async () => {
    const run = context({});
    expect(await runCli(['serve', '--reranker', 'mock', '--port', '0'], run.value)).toBe(2);
    expect(run.err()).toContain('set TWOSTAGE_SERVER_TOKENS');
  });

  test('--insecure-no-auth is refused on a non-loopback host', async () => {
    const run = context({});
    const code = await runCli(
      ['serve', '--reranker', 'mock', '--insecure-no-auth', '--host', '0.0.0.0'],
      run.value,
    );
    expect(code).toBe(2);
    expect(run.err()).toContain("allowed on a loopback host only, not '0.0.0.0'");
  });

  test('bad flags are usage errors', async () => {
    const port = context({ TWOSTAGE_SERVER_TOKENS: 't' });
    expect(await runCli(['serve', '--port', '70000'], port.value)).toBe(2);
    expect(port.err()).toContain('expected a port number from 0 to 65535');
    const host = context({ TWOSTAGE_SERVER_TOKENS: 't' });
    expect(await runCli(['serve', '--reranker', 'mock', '--host', 'not a host'], host.value)).toBe(
      2,
    );
    expect(host.err()).toContain('--host must be an IP address or localhost');
    const budget = context({ TWOSTAGE_SERVER_TOKENS: 't' });
    const code = await runCli(
      [
        'serve',
        '--reranker',
        'mock',
        '--max-documents',
        '200',
        '--max-concurrent-documents',
        '100',
      ],
      budget.value,
    );
    expect(code).toBe(2);
    expect(budget.err()).toContain(
      '--max-concurrent-documents (100) must be at least --max-documents (200)',
    );
  });

  test('--execution-provider: a name outside cpu, cuda, webgpu is a usage error', async () => {
    const run = context({ TWOSTAGE_SERVER_TOKENS: 't' });
    const code = await runCli(
      ['serve', '--reranker', 'mock', '--execution-provider', 'tpu'],
      run.value,
    );
    expect(code).toBe(2);
    expect(run.err()).toContain('Allowed choices are cpu, cuda, webgpu');
    const fromEnv = context({ TWOSTAGE_SERVER_TOKENS: 't', TWOSTAGE_EXECUTION_PROVIDER: 'tpu' });
    expect(await runCli(['serve', '--reranker', 'local-onnx:./none'], fromEnv.value)).toBe(1);
    expect(fromEnv.err()).toContain(
      "TWOSTAGE_EXECUTION_PROVIDER must be one of cpu, cuda, webgpu, not 'tpu'.",
    );
  });

  test('--execution-provider cuda without a GPU falls back to the CPU, says so, and serves', async () => {
    const model = await makeTempDirectory();
    try {
      await writeTinyCrossEncoder(model.path);
      const run = context({ TWOSTAGE_SERVER_TOKENS: 'alpha-token' });
      const exited = runCli(
        [
          'serve',
          '--reranker',
          `local-onnx:${model.path}`,
          '--execution-provider',
          'cuda',
          '--port',
          '0',
        ],
        run.value,
      );
      while (!run.err().includes('serving') && !run.err().includes('error')) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // This machine has no CUDA: where the model really runs is in the start-up line.
      expect(run.err()).toMatch(/serving local-onnx:\S+ on cpu at http/);
      const url = /at (http:\/\/\S+) /.exec(run.err())?.[1] as string;
      const response = await fetch(`${url}/rerank`, {
        method: 'POST',
        headers: { authorization: 'Bearer alpha-token', 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'bank loan', texts: ['weather', 'bank loan'] }),
      });
      expect(response.status).toBe(200);
      run.controller.abort();
      expect(await exited).toBe(0);
      // The fallback warning is one JSON log line at start-up, before any request.
      const warnings = run
        .out()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg?: string; warning?: string })
        .filter((line) => line.msg === 'model warning');
      expect(JSON.stringify(warnings)).toMatch(/cuda/i);
    } finally {
      await model.remove();
    }
  }, 60_000);

  test('--max-concurrent-documents is the document budget TEI clients read from /info', async () => {
    const run = context({ TWOSTAGE_SERVER_TOKENS: 'alpha-token' });
    const exited = runCli(
      ['serve', '--reranker', 'mock', '--port', '0', '--max-concurrent-documents', '4000'],
      run.value,
    );
    while (!run.err().includes('serving')) await new Promise((resolve) => setImmediate(resolve));
    const url = /at (http:\/\/\S+) /.exec(run.err())?.[1] as string;
    const info = (await (
      await fetch(`${url}/info`, { headers: { authorization: 'Bearer alpha-token' } })
    ).json()) as { max_concurrent_requests: number; max_client_batch_size: number };
    expect([info.max_concurrent_requests, info.max_client_batch_size]).toEqual([4000, 1000]);
    run.controller.abort();
    expect(await exited).toBe(0);
  });

  test('serves until the signal fires, then drains and exits 0; tokens stay out of the log', async () => {
    const run = context({ TWOSTAGE_SERVER_TOKENS: 'alpha-token, beta-token' });
    const exited = runCli(['serve', '--reranker', 'mock', '--port', '0'], run.value);
    while (!run.err().includes('serving')) await new Promise((resolve) => setImmediate(resolve));
    const url = /at (http:\/\/\S+) /.exec(run.err())?.[1] as string;
    expect(run.err()).toContain('2 token(s), micro-batching');
    const response = await fetch(`${url}/v2/rerank`, {
      method: 'POST',
      headers: { authorization: 'Bearer beta-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'mock',
        query: 'bank loan',
        documents: ['weather', 'bank loan'],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { index: number }[] };
    expect(body.results.map(({ index }) => index)).toEqual([1, 0]);
    run.controller.abort();
    expect(await exited).toBe(0);
    expect(run.err()).toContain('draining requests in flight');
    const lines = run
      .out()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(
      lines.some(
        (line) => line.route === '/v2/rerank' && line.status === 200 && line.documents === 2,
      ),
    ).toBe(true);
    expect(run.out()).not.toContain('beta-token');
  });
});
