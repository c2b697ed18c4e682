import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProviderNotFoundError, rerank, resolveReranker } from '../src/index.js';

// An application that installed only core and one provider, laid out like pnpm would: core is a
// symlink (its real path is outside the application, so a plain `import()` from core cannot see
// the application's node_modules), the provider a package of the application.

const run = promisify(execFile);
const corePackage = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let appDirectory = '';

/** A provider whose reranker scores by shared words; `variant` tells which entry was loaded. */
function providerSource(variant: string): string {
  return `
export const twostageProvider = {
  reranker(modelId, options) {
    return {
      specificationVersion: 'v1',
      provider: 'fake',
      modelId: '${variant}:' + modelId,
      maxDocumentsPerCall: undefined,
      scoreKind: 'probability',
      settings: options.settings,
      async doRerank({ query, documents }) {
        const words = new Set(query.toLowerCase().split(/\\s+/));
        const ranking = documents.values.map((text, index) => {
          const tokens = String(text).toLowerCase().split(/\\s+/);
          return { index, score: tokens.filter((token) => words.has(token)).length / tokens.length };
        });
        return { ranking: ranking.sort((a, b) => b.score - a.score || a.index - b.index) };
      },
    };
  },
};
`;
}

async function writePackage(
  name: string,
  manifest: object,
  files: Record<string, string>,
): Promise<void> {
  const directory = join(appDirectory, 'node_modules', name);
  await mkdir(directory, { recursive: true });
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', ...manifest }),
  );
  for (const [file, content] of Object.entries(files))
    await writeFile(join(directory, file), content);
}

beforeAll(async () => {
  appDirectory = await mkdtemp(join(tmpdir(), 'twostage-registry-app-'));
  await writeFile(
    join(appDirectory, 'package.json'),
    JSON.stringify({ name: 'registry-app', private: true, type: 'module' }),
  );
  await mkdir(join(appDirectory, 'node_modules', '@twostage'), { recursive: true });
  await symlink(corePackage, join(appDirectory, 'node_modules', '@twostage', 'core'), 'dir');
  // ESM only, with a source condition first, like the workspace's own packages.
  await writePackage(
    '@twostage/provider-fake',
    {
      exports: {
        '.': { '@twostage/source': './source.js', import: './index.js' },
        './package.json': './package.json',
      },
    },
    { 'index.js': providerSource('dist'), 'source.js': providerSource('source') },
  );
  // No exports map: the `main` field.
  await writePackage(
    '@twostage/provider-plain',
    { main: './main.js' },
    { 'main.js': providerSource('plain') },
  );
  // Installed, but not a twostage provider.
  await writePackage(
    '@twostage/provider-hollow',
    { exports: './index.js' },
    { 'index.js': 'export const other = 1;\n' },
  );
  await writeFile(
    join(appDirectory, 'main.mjs'),
    `
import { ProviderNotFoundError, rerank, resolveReranker } from '@twostage/core';
const explicit = await resolveReranker('fake:some/model', { settings: { region: 'eu' } });
const fromEnvironment = await resolveReranker();
const result = await rerank({ model: explicit, query: 'annual fee', documents: ['branch hours', 'the annual fee', 'lost card'] });
let missing;
try {
  await resolveReranker('absent:model');
} catch (error) {
  missing = { isProviderNotFound: ProviderNotFoundError.isInstance(error), packageName: error.packageName, message: error.message };
}
console.log(JSON.stringify({
  explicit: { provider: explicit.provider, modelId: explicit.modelId, settings: explicit.settings },
  fromEnvironment: fromEnvironment.modelId,
  ranking: result.ranking.map(({ index, document }) => ({ index, document })),
  missing,
}));
`,
  );
});

afterAll(async () => {
  if (appDirectory !== '') await rm(appDirectory, { recursive: true, force: true });
});

describe('resolving providers installed in the application', () => {
  test('a child Node process in the application resolves its provider by reference and by env', async () => {
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@twostage/source', '--import', tsxLoader, 'main.mjs'],
      {
        cwd: appDirectory,
        env: { ...process.env, TWOSTAGE_RERANKER: 'fake:env/model' },
        timeout: 60_000,
      },
    );
    const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(output.explicit).toEqual({
      provider: 'fake',
      modelId: 'source:some/model',
      settings: { region: 'eu' },
    });
    expect(output.fromEnvironment).toBe('source:env/model');
    expect(output.ranking).toEqual([
      { index: 1, document: 'the annual fee' },
      { index: 0, document: 'branch hours' },
      { index: 2, document: 'lost card' },
    ]);
    expect(output.missing.isProviderNotFound).toBe(true);
    expect(output.missing.packageName).toBe('@twostage/provider-absent');
    // The application has no lock file: the hint is npm's (see install-command.test.ts).
    expect(output.missing.message).toContain('npm install @twostage/provider-absent');
  }, 60_000);

  test('in process, the cwd option points the registry at the application', async () => {
    const model = await resolveReranker('fake:x', { cwd: appDirectory });
    expect(model.provider).toBe('fake');
    expect(model.modelId).toMatch(/^(dist|source):x$/);
    const result = await rerank({
      model,
      query: 'lost card',
      documents: ['annual fee', 'lost card'],
    });
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
  });

  test('a package with only a main field resolves', async () => {
    expect((await resolveReranker('plain:y', { cwd: appDirectory })).modelId).toBe('plain:y');
  });

  test('a package without twostageProvider is a ProviderNotFoundError that says so', async () => {
    let caught: unknown;
    try {
      await resolveReranker('hollow:z', { cwd: appDirectory });
    } catch (error) {
      caught = error;
    }
    expect(ProviderNotFoundError.isInstance(caught)).toBe(true);
    expect((caught as ProviderNotFoundError).packageName).toBe('@twostage/provider-hollow');
    expect((caught as Error).message).toMatch(/does not export a 'twostageProvider' object/);
  });

  test('a provider missing from the application is a ProviderNotFoundError naming the package', async () => {
    let caught: unknown;
    try {
      await resolveReranker('absent:model', { cwd: appDirectory });
    } catch (error) {
      caught = error;
    }
    expect(ProviderNotFoundError.isInstance(caught)).toBe(true);
    expect((caught as ProviderNotFoundError).packageName).toBe('@twostage/provider-absent');
  });
});
