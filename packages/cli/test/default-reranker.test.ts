import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticModel } from '@twostage/provider-local-onnx/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultRerankerModel } from '../src/models/default-reranker-model.js';
import { closedEndpoint, type FakeHub, startFakeHub } from './helpers/fake-hub.js';
import { runTwostage } from './helpers/run-twostage.js';

const { modelId, revision, modelFile } = defaultRerankerModel;

let workspace: string;
let servedModel: string;

/** `query` on the in-process corpus, with the default reranker (nothing configured). */
function query(env: Record<string, string>) {
  return runTwostage(
    ['query', 'loan collateral card', '--retriever', 'memory:corpus.jsonl', '--json'],
    { cwd: workspace, env },
  );
}

type QueryJson = {
  degraded: boolean;
  results: { id: string; rerankScore: number | null; retrieveRank: number }[];
  warnings: string[];
};

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'twostage-cli-default-reranker-'));
  await writeFile(
    join(workspace, 'corpus.jsonl'),
    [
      { id: 'early', text: 'Early repayment of a loan carries no penalty after three years.' },
      {
        id: 'margin',
        text: 'A margin call asks the borrower to top up collateral within two days.',
      },
      { id: 'card', text: 'A lost card can be blocked in the app at any time.' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
  await writeFile(
    join(workspace, 'queries.jsonl'),
    `${JSON.stringify({ _id: 'q1', text: 'loan repayment penalty' })}\n${JSON.stringify({ _id: 'q2', text: 'collateral top up' })}\n`,
  );
  await writeFile(
    join(workspace, 'qrels.tsv'),
    'query-id\tcorpus-id\tscore\nq1\tearly\t2\nq2\tmargin\t1\n',
  );
  // A synthetic XLM-R cross-encoder published under the default model's id, with its int8 file
  // names, at the pinned revision only: a request for any other revision is a 404.
  servedModel = join(workspace, 'served-default');
  await writeSyntheticModel(servedModel, {
    architecture: 'xlm-roberta',
    task: 'sequence-classification',
    numLabels: 1,
    vocabSize: 400,
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 4,
    intermediateSize: 64,
    maxPositionEmbeddings: 130,
    modelMaxLength: 128,
    seed: 5,
  });
  for (const file of ['onnx/model_quint8_avx2.onnx', 'onnx/model_qint8_arm64.onnx']) {
    await copyFile(join(servedModel, 'onnx/model_quantized.onnx'), join(servedModel, file));
  }
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('the default reranker cannot be had (no network, no cached copy)', () => {
  test('query prints one notice with the three fixes, then stage-1 results marked not re-ranked, exit 0', async () => {
    const hub = await closedEndpoint();
    const cache = await mkdtemp(join(workspace, 'cache-'));
    const startedAt = Date.now();
    const result = await query({ TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub });
    const elapsedMs = Date.now() - startedAt;
    expect(result.code).toBe(0);
    const [notice, ...rest] = result.stderr.trimEnd().split('\n');
    expect(notice).toMatch(
      new RegExp(
        `^twostage: not re-ranked: the default reranker ${modelId} is not in the model cache and the hub could not be reached \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\)`,
      ),
    );
    const everything = result.stderr.replace(/\s+/g, ' ');
    expect(everything).toContain(`twostage models pull ${modelId}`);
    expect(everything).toContain('--reranker local-onnx:<model dir>');
    expect(everything).toContain('TWOSTAGE_RERANKER=cohere:rerank-multilingual-v3.0');
    expect(rest.every((line) => !line.includes('    at '))).toBe(true);
    const output = JSON.parse(result.stdout) as QueryJson;
    expect(output.degraded).toBe(true);
    expect(output.results.map((item) => item.rerankScore)).toEqual(output.results.map(() => null));
    expect(output.results.map((item) => item.retrieveRank)).toEqual(
      output.results.map((_, index) => index + 1),
    );
    expect(
      output.warnings.some((warning) => warning.startsWith('not re-ranked: the default reranker')),
    ).toBe(true);
    // Reported, not asserted: the time a refused hub costs (the failure is immediate, no retries).
    console.info(`default reranker unavailable: query finished in ${elapsedMs} ms`);
  });

  test('eval reports stage-1 figures only and says why, exit 0', async () => {
    const result = await runTwostage(
      [
        'eval',
        '--retriever',
        'memory:corpus.jsonl',
        '--queries',
        'queries.jsonl',
        '--qrels',
        'qrels.tsv',
        '--json',
      ],
      {
        cwd: workspace,
        env: {
          TWOSTAGE_CACHE_DIR: await mkdtemp(join(workspace, 'cache-')),
          HF_ENDPOINT: await closedEndpoint(),
        },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^twostage: not re-ranked: the default reranker ${modelId} is not in the model cache and the hub could not be reached`,
      ),
    );
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(`twostage models pull ${modelId}`);
    expect(result.stdout).toContain('not in the model cache');
  });

  test('offline mode says so instead of trying the network', async () => {
    const result = await query({
      TWOSTAGE_CACHE_DIR: await mkdtemp(join(workspace, 'cache-')),
      HF_ENDPOINT: await closedEndpoint(),
      TWOSTAGE_OFFLINE: '1',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^twostage: not re-ranked: the default reranker ${modelId} is not in the model cache and offline mode is on \\(TWOSTAGE_OFFLINE / HF_HUB_OFFLINE\\)`,
      ),
    );
  });
});

describe('the default reranker downloads once, at its pinned revision, then runs from the cache', () => {
  let hub: FakeHub;

  beforeAll(async () => {
    hub = await startFakeHub({ [`${modelId}@${revision}`]: servedModel });
  });

  afterAll(async () => {
    await hub.close();
  });

  test('first query downloads the int8 file for this CPU; the next one needs no hub', async () => {
    const cache = await mkdtemp(join(workspace, 'cache-'));
    const first = await query({ TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint });
    expect(first.stderr).toBe(''); // not a terminal: no progress
    expect(first.code).toBe(0);
    const online = JSON.parse(first.stdout) as QueryJson;
    expect(online.degraded).toBe(false);
    expect(online.results.every((item) => typeof item.rerankScore === 'number')).toBe(true);
    expect(hub.requests).toContain(`/${modelId}/resolve/${revision}/${modelFile}`);
    expect(hub.requests.some((path) => path.includes('/resolve/main/'))).toBe(false);

    const second = await query({ TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: await closedEndpoint() });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    const cached = JSON.parse(second.stdout) as QueryJson;
    expect(cached.degraded).toBe(false);
    expect(cached.results.map((item) => item.id)).toEqual(online.results.map((item) => item.id));

    const listed = await runTwostage(['models', 'list', '--json'], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: cache },
    });
    const models = (
      JSON.parse(listed.stdout) as {
        models: { id: string; revision: string; files: { path: string }[] }[];
      }
    ).models;
    expect(models.map((model) => [model.id, model.revision])).toEqual([[modelId, revision]]);
    expect(models[0]?.files.map((file) => file.path)).toContain(modelFile);
  });

  test("'models pull' of the default id fetches the same pinned files", async () => {
    const cache = await mkdtemp(join(workspace, 'cache-'));
    const pulled = await runTwostage(['models', 'pull', modelId], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint },
    });
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(`${modelId}  revision ${revision}`);
    expect(pulled.stdout).toContain(modelFile);
    const offline = await query({ TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: await closedEndpoint() });
    expect(offline.code).toBe(0);
    expect((JSON.parse(offline.stdout) as QueryJson).degraded).toBe(false);
  });
});
