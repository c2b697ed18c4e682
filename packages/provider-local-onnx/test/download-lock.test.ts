import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError } from '@twostage/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { withDownloadLock } from '../src/hub/download-lock.js';
import { downloadHubModel, type HubDownloadOptions } from '../src/hub/hub-download.js';
import type { DownloadProgressEvent } from '../src/index.js';
import { optionalModelFiles, requiredModelFiles } from '../src/model/model-files.js';
import { startFakeHub } from './fake-hub.js';
import { fixtureModel } from './fixture-models.js';
import { runSourceScript, sourceModuleUrl } from './run-source-script.js';

const repository = 'synthetic/bert-cross-encoder';
const source = fixtureModel('bert-cross-encoder');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'twostage-lock-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The pid of a process that has exited (so a lock naming it is abandoned). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('withDownloadLock', () => {
  test('a second holder waits for the first, then runs', async () => {
    const path = join(directory, 'file');
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = withDownloadLock(path, async () => {
      order.push('first start');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('first end');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let waited = false;
    const second = withDownloadLock(
      path,
      async () => {
        order.push('second');
      },
      { pollMs: 20, onWait: () => (waited = true) },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['first start']);
    expect(existsSync(`${path}.lock`)).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
    expect(waited).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  test('a lock left by a dead process on this host is taken over at once', async () => {
    const path = join(directory, 'file');
    await writeFile(`${path}.lock`, JSON.stringify({ pid: deadPid(), host: hostname() }));
    let waited = false;
    const value = await withDownloadLock(path, async () => 42, {
      onWait: () => (waited = true),
    });
    expect(value).toBe(42);
    expect(waited).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  test('a lock nobody touched for staleMs is taken over, even from another host', async () => {
    const path = join(directory, 'file');
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'another-host' }));
    const old = new Date(Date.now() - 120_000);
    await utimes(`${path}.lock`, old, old);
    expect(await withDownloadLock(path, async () => 'mine', { staleMs: 60_000 })).toBe('mine');
  });

  test('a live lock from another host is respected until it goes; an abort ends the wait', async () => {
    const path = join(directory, 'file');
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'another-host' }));
    const controller = new AbortController();
    let ran = false;
    const waiting = withDownloadLock(
      path,
      async () => {
        ran = true;
      },
      { abortSignal: controller.signal, pollMs: 20 },
    );
    setTimeout(() => controller.abort(), 150);
    await expect(waiting).rejects.toSatisfy((error) => AbortedError.isInstance(error));
    expect(ran).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(true); // not ours to remove
  });

  test('the lock is released when the work fails', async () => {
    const path = join(directory, 'file');
    await expect(
      withDownloadLock(path, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('downloads shared between processes', () => {
  const options = (endpoint: string, cacheDirectory: string): HubDownloadOptions => ({
    repository,
    revision: 'main',
    files: [...requiredModelFiles, 'onnx/model.onnx'],
    optionalFiles: [...optionalModelFiles],
    cacheDirectory,
    endpoint,
    offline: false,
    provider: 'local-onnx',
  });

  test('a process that finds another downloading a file waits and then uses that file', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      const modelDirectory = join(directory, 'hub', 'synthetic', 'bert-cross-encoder', 'main');
      await mkdir(join(modelDirectory, 'onnx'), { recursive: true });
      const target = join(modelDirectory, 'onnx', 'model.onnx');
      // Another (live) process holds the lock: a sleeping child stands in for it.
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      await writeFile(`${target}.lock`, JSON.stringify({ pid: holder.pid, host: hostname() }));
      const events: DownloadProgressEvent[] = [];
      const download = downloadHubModel({
        ...options(hub.endpoint, directory),
        onProgress: (event) => events.push(event),
      });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(
        events.filter((event) => event.status === 'waiting').map((event) => event.file),
      ).toEqual(['onnx/model.onnx']);
      // The other process finishes: the file appears, then its lock goes.
      await writeFile(target, readFileSync(join(source, 'onnx', 'model.onnx')));
      await rm(`${target}.lock`);
      holder.kill();
      await download;
      expect(hub.requests.some((request) => request.url.includes('model.onnx'))).toBe(false);
      expect(sha256(target)).toBe(sha256(join(source, 'onnx', 'model.onnx')));
    } finally {
      await hub.close();
    }
  });

  test('two processes downloading one model into one cache fetch each file once', async () => {
    const hub = await startFakeHub({ [repository]: source }, { cdnDelayMs: 700 });
    try {
      const script = join(directory, 'download.mjs');
      const body = [
        `const { downloadHubModel } = await import(${JSON.stringify(sourceModuleUrl('hub', 'hub-download.ts'))});`,
        'const statuses = [];',
        `await downloadHubModel({ ...${JSON.stringify(options(hub.endpoint, join(directory, 'cache')))}, onProgress: (event) => statuses.push(event.status + ':' + event.file) });`,
        "console.log(JSON.stringify(statuses.filter((status) => status.endsWith('model.onnx'))));",
      ];
      const run = () => runSourceScript(script, body, 60_000);
      const outcomes = await Promise.all([run(), run()]);
      expect(outcomes.map((outcome) => outcome.code)).toEqual([0, 0]);
      const cdnRequests = hub.requests.filter((request) => request.url.startsWith('/cdn/'));
      expect(cdnRequests.map((request) => request.url)).toEqual([
        '/cdn/synthetic/bert-cross-encoder/onnx/model.onnx',
      ]);
      const statuses = outcomes.map((outcome) =>
        JSON.parse(outcome.output.trim().split('\n').at(-1) ?? '[]'),
      );
      // One process downloaded (initiate … done); the other waited and found the file.
      expect(
        statuses.filter((list: string[]) => list.includes('waiting:onnx/model.onnx')).length,
      ).toBe(1);
      expect(statuses.every((list: string[]) => list.at(-1) === 'done:onnx/model.onnx')).toBe(true);
      const file = join(
        directory,
        'cache',
        'hub',
        'synthetic',
        'bert-cross-encoder',
        'main',
        'onnx',
        'model.onnx',
      );
      expect(sha256(file)).toBe(sha256(join(source, 'onnx', 'model.onnx')));
      expect(existsSync(`${file}.lock`)).toBe(false);
    } finally {
      await hub.close();
    }
  }, 90_000);
});
