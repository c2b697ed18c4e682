import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticModel } from '@twostage/provider-local-onnx/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closedEndpoint, type FakeHub, startFakeHub } from './helpers/fake-hub.js';
import { runTwostage } from './helpers/run-twostage.js';

const repository = 'twostage-test/tiny-reranker';

/** The files a default (fp32) load of the synthetic XLM-R cross-encoder needs, as the hub has them. */
const modelFiles = [
  'config.json',
  'onnx/model.onnx',
  'special_tokens_map.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

let workspace: string;
let modelDirectory: string;
let hub: FakeHub;

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** What `models list --json` must say about each file: computed here, from the served copy. */
async function expectedFiles() {
  return Promise.all(
    modelFiles.map(async (path) => ({
      path,
      bytes: (await stat(join(modelDirectory, path))).size,
      sha256: await sha256Of(join(modelDirectory, path)),
    })),
  );
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'twostage-cli-models-'));
  modelDirectory = join(workspace, 'served', 'tiny-reranker');
  await writeSyntheticModel(modelDirectory, {
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
    seed: 11,
  });
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
  hub = await startFakeHub({ [repository]: modelDirectory });
});

afterAll(async () => {
  await hub?.close();
  await rm(workspace, { recursive: true, force: true });
});

/** A fresh, empty model cache for one test. */
async function emptyCache(): Promise<string> {
  return mkdtemp(join(workspace, 'cache-'));
}

describe('twostage models pull | list | rm', () => {
  test('pull fills the cache, list shows every file with its size and sha256, a query then re-ranks offline from the cache, rm empties it', async () => {
    const cache = await emptyCache();
    const env = { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint };

    const pulled = await runTwostage(['models', 'pull', repository], { cwd: workspace, env });
    expect(pulled.stderr).toBe(''); // not a terminal: no progress lines
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(`Pulled ${repository} into the cache:`);
    expect(pulled.stdout).toContain(`${repository}  revision main`);
    expect(hub.requests).toContain(`/${repository}/resolve/main/onnx/model.onnx`);

    const listed = await runTwostage(['models', 'list', '--json'], { cwd: workspace, env });
    expect(listed.code).toBe(0);
    const directory = join(cache, 'hub', 'twostage-test', 'tiny-reranker', 'main');
    expect(JSON.parse(listed.stdout)).toEqual({
      cacheDirectory: cache,
      models: [
        {
          id: repository,
          revision: 'main',
          directory,
          bytes: (await expectedFiles()).reduce((sum, file) => sum + file.bytes, 0),
          files: await expectedFiles(),
          interrupted: [],
        },
      ],
    });

    const table = await runTwostage(['models', 'list'], { cwd: workspace, env });
    const onnx = (await expectedFiles()).find((file) => file.path === 'onnx/model.onnx');
    expect(table.stdout).toContain(`Model cache: ${cache}`);
    expect(table.stdout).toMatch(new RegExp(`\\d+\\.\\d kB  ${onnx?.sha256}  onnx/model\\.onnx`));

    // The hub is gone: the query must load the model from the cache alone.
    const offline = {
      TWOSTAGE_CACHE_DIR: cache,
      HF_ENDPOINT: await closedEndpoint(),
    };
    const query = await runTwostage(
      [
        'query',
        'loan collateral card',
        '--retriever',
        'memory:corpus.jsonl',
        '--reranker',
        `local-onnx:${repository}`,
        '--json',
      ],
      { cwd: workspace, env: offline },
    );
    expect(query.stderr).toBe('');
    expect(query.code).toBe(0);
    const output = JSON.parse(query.stdout) as {
      degraded: boolean;
      results: { id: string; rerankScore: number | null }[];
    };
    expect(output.degraded).toBe(false);
    expect(output.results.map((result) => result.id).sort()).toEqual(['card', 'early', 'margin']);
    for (const result of output.results) expect(typeof result.rerankScore).toBe('number');

    const removed = await runTwostage(['models', 'rm', repository], { cwd: workspace, env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Removed ${repository} (revision main,`);
    expect(await readdir(join(cache, 'hub'))).toEqual([]);
    const after = await runTwostage(['models', 'list', '--json'], { cwd: workspace, env });
    expect(JSON.parse(after.stdout)).toEqual({ cacheDirectory: cache, models: [] });
  });

  test('a second pull downloads nothing and says the model was already cached', async () => {
    const cache = await emptyCache();
    const env = { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint };
    await runTwostage(['models', 'pull', repository], { cwd: workspace, env });
    const before = hub.requests.length;
    const again = await runTwostage(['models', 'pull', repository], { cwd: workspace, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${repository} was already in the cache:`);
    expect(hub.requests.length).toBe(before);
  });

  test('--dtype q8 pulls the quantized file instead of the fp32 one', async () => {
    const cache = await emptyCache();
    const env = { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint };
    const pulled = await runTwostage(['models', 'pull', repository, '--dtype', 'q8'], {
      cwd: workspace,
      env,
    });
    expect(pulled.code).toBe(0);
    const listed = JSON.parse(
      (await runTwostage(['models', 'list', '--json'], { cwd: workspace, env })).stdout,
    ) as { models: { files: { path: string; sha256: string }[] }[] };
    const onnxFiles = listed.models[0]?.files.filter((file) => file.path.endsWith('.onnx'));
    expect(onnxFiles).toEqual([
      {
        path: 'onnx/model_quantized.onnx',
        bytes: (await stat(join(modelDirectory, 'onnx/model_quantized.onnx'))).size,
        sha256: await sha256Of(join(modelDirectory, 'onnx/model_quantized.onnx')),
      },
    ]);
  });

  test('an interrupted pull leaves no partial file in the list, and the next pull resumes it', async () => {
    const cache = await emptyCache();
    const flaky = await startFakeHub(
      { [repository]: modelDirectory },
      { drop: { file: 'onnx/model.onnx', afterBytes: 2048, times: 1 } },
    );
    try {
      const env = { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: flaky.endpoint };
      const broken = await runTwostage(['models', 'pull', repository], { cwd: workspace, env });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/^twostage: could not download twostage-test\/tiny-reranker: /);
      expect(broken.stderr).toContain('run the same command again');
      expect(broken.stderr).not.toContain('    at '); // no stack trace

      const listed = JSON.parse(
        (await runTwostage(['models', 'list', '--json'], { cwd: workspace, env })).stdout,
      ) as { models: { files: { path: string }[]; interrupted: string[] }[] };
      expect(listed.models[0]?.files.map((file) => file.path)).toEqual([
        'config.json',
        'tokenizer.json',
        'tokenizer_config.json',
      ]);
      expect(listed.models[0]?.interrupted).toEqual(['onnx/model.onnx']);
      const table = await runTwostage(['models', 'list'], { cwd: workspace, env });
      expect(table.stdout).toContain(
        `(interrupted download of onnx/model.onnx: 'twostage models pull ${repository}' resumes it)`,
      );
      expect(table.stdout).not.toContain('.partial');

      const resumed = await runTwostage(['models', 'pull', repository], { cwd: workspace, env });
      expect(resumed.code).toBe(0);
      const onnxRequests = flaky.requests.filter((path) => path.endsWith('/onnx/model.onnx'));
      expect(onnxRequests.length).toBeGreaterThanOrEqual(4); // resolve + lfs, twice
      const complete = JSON.parse(
        (await runTwostage(['models', 'list', '--json'], { cwd: workspace, env })).stdout,
      ) as { models: { files: unknown[]; interrupted: string[] }[] };
      expect(complete.models[0]?.files).toEqual(await expectedFiles());
      expect(complete.models[0]?.interrupted).toEqual([]);
    } finally {
      await flaky.close();
    }
  });
});

describe('twostage models: bad input', () => {
  test('an unknown repository is one line naming it and the 404, exit 1', async () => {
    const cache = await emptyCache();
    const result = await runTwostage(['models', 'pull', 'nobody/no-such-model'], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'twostage: the hub has no model nobody/no-such-model at revision main (its config.json answered 404).\n' +
        '  → Check the id (owner/name, as on huggingface.co) and --revision; a gated or private repository needs HF_TOKEN.\n',
    );
  });

  test('an ONNX file the repository lacks names the file and the flags that pick another', async () => {
    const result = await runTwostage(['models', 'pull', repository, '--dtype', 'q4'], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: await emptyCache(), HF_ENDPOINT: hub.endpoint },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The hub has no onnx/model_q4.onnx for '${repository}'`);
    expect(result.stderr).toContain(
      '--dtype fp32|fp16|q8|int8|uint8|q4 or --file onnx/<name>.onnx',
    );
  });

  test('a hub that cannot be reached fails at once with the reason, exit 1', async () => {
    const result = await runTwostage(['models', 'pull', repository], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: await emptyCache(), HF_ENDPOINT: await closedEndpoint() },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^twostage: could not download twostage-test\/tiny-reranker: the hub could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\n {2}→ /,
    );
  });

  test('offline mode with an empty cache says so and how to leave it', async () => {
    const result = await runTwostage(['models', 'pull', repository], {
      cwd: workspace,
      env: {
        TWOSTAGE_CACHE_DIR: await emptyCache(),
        HF_ENDPOINT: hub.endpoint,
        TWOSTAGE_OFFLINE: '1',
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `twostage: ${repository} is not in the cache and offline mode is on.\n  → Unset TWOSTAGE_OFFLINE / HF_HUB_OFFLINE to download it.\n`,
    );
  });

  test('rm of a model that is not cached is exit 1 and points at list', async () => {
    const cache = await emptyCache();
    const result = await runTwostage(['models', 'rm', 'someone/absent-model'], {
      cwd: workspace,
      env: { TWOSTAGE_CACHE_DIR: cache },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `twostage: someone/absent-model is not in the model cache (${cache}).\n  → 'twostage models list' shows the cached models and their revisions.\n`,
    );
  });

  test('malformed ids, revisions and dtypes are usage errors (exit 2) and touch nothing', async () => {
    const cache = await emptyCache();
    const env = { TWOSTAGE_CACHE_DIR: cache, HF_ENDPOINT: hub.endpoint };
    const cases: [string[], string][] = [
      [['models', 'pull', 'no-slash'], "twostage: 'no-slash' is not a hub id: expected owner/name"],
      [['models', 'rm', '../../etc'], "twostage: '../../etc' is not a hub id: expected owner/name"],
      [
        ['models', 'pull', repository, '--revision', '../x'],
        "twostage: '../x' is not a revision name",
      ],
      [
        ['models', 'pull', repository, '--dtype', 'int4'],
        "twostage: --dtype must be one of fp32, fp16, q8, int8, uint8, q4, got 'int4'.",
      ],
      [
        ['models', 'pull', repository, '--dtype', 'q8', '--file', 'onnx/x.onnx'],
        'twostage: --dtype and --file both choose the ONNX file',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runTwostage(args, { cwd: workspace, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.startsWith(message), result.stderr).toBe(true);
    }
    const missing = await runTwostage(['models', 'pull'], { cwd: workspace, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'hub-id'");
    expect(existsSync(join(cache, 'hub'))).toBe(false);
  });

  test('--help of each subcommand shows examples', async () => {
    for (const name of ['pull', 'list', 'rm']) {
      const result = await runTwostage(['models', name, '--help'], { cwd: workspace });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain(`twostage models ${name}`);
    }
  });
});
