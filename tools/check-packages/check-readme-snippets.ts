/**
 * Type-checks the READMEs' TypeScript the way a new user meets it: a fresh app outside the
 * workspace (under the OS temp folder) installs the packed tarballs of every public package with
 * `npm install`, their own dependencies from the npm registry, and `tsc` checks each snippet
 * under `module` / `moduleResolution: nodenext`, `strict` and `skipLibCheck: false` — so the
 * packages' published `.d.ts` files, and those of their dependencies, are checked too.
 *
 * Convention: every ```ts (or ```typescript) block in a public package's README.md and in the
 * root README.md is checked. A block that is deliberately not a complete program (a fragment,
 * pseudo-code) is marked ```ts no-check and skipped. Each block is its own module, so blocks do
 * not see each other's names; top-level `await` works as in an ESM app.
 *
 * Besides the snippets, the app imports every entry point of every public package, so a
 * package without snippets still has its declarations checked.
 *
 * Run after `pnpm build`: `pnpm check:packages` (or `tsx tools/check-packages/check-readme-snippets.ts`).
 * Set TWOSTAGE_KEEP_SNIPPET_APP=1 to keep the app folder for inspection.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractSnippets, type Snippet } from './extract-snippets.js';
import { type PackedPackage, packPublicPackages, repositoryRoot } from './pack-public-packages.js';

/** A file name for a snippet, telling its README and line: `packages-core-README.md-31.ts`. */
function snippetFileName(snippet: Snippet): string {
  return `${snippet.readme.replaceAll('/', '-')}-${snippet.firstLine}.ts`;
}

/** Import specifiers of every entry point in a package's `exports` map, `./package.json` aside. */
function entryPointSpecifiers(packed: PackedPackage): string[] {
  return Object.keys(packed.manifest.exports ?? { '.': {} })
    .filter((subpath) => !subpath.endsWith('.json'))
    .map((subpath) => (subpath === '.' ? packed.name : `${packed.name}/${subpath.slice(2)}`));
}

function writeApp(appDirectory: string, packedPackages: PackedPackage[]): void {
  const rootManifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(
    packedPackages.map((packed) => [packed.name, `file:${packed.tarball}`]),
  );
  // The packed providers depend on `@twostage/core@0.1.0`, a version not on the registry yet;
  // overrides make every such edge use the tarball this app installed, as a real release would.
  const overrides = Object.fromEntries(
    packedPackages.map((packed) => [packed.name, `$${packed.name}`]),
  );
  const manifest = {
    name: 'twostage-readme-snippets',
    private: true,
    type: 'module',
    dependencies,
    devDependencies: {
      '@types/node': rootManifest.devDependencies['@types/node'],
      // @llamaindex/core's published .d.ts files (0.6.x) import `JSONSchemaType` from 'ajv'
      // without declaring it, so any app reading them with `skipLibCheck: false` needs it (TS2307).
      ajv: '^8.17.1',
      // @ai-sdk/provider's .d.ts files import types from 'json-schema', which has none of its own.
      '@types/json-schema': '^7.0.15',
    },
    overrides,
  };
  writeFileSync(join(appDirectory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The settings the issue names, plus `target` for top-level await. `lib` stays TypeScript's
  // default, as in a `tsc --init` app: it includes the DOM library, which
  // @pinecone-database/pinecone's declarations need (`RequestCredentials`, `RequestInfo`); an app
  // with a DOM-free `lib` and `skipLibCheck: false` gets TS2304 from that SDK's own `.d.ts`.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    include: ['snippets/*.ts'],
  };
  writeFileSync(join(appDirectory, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

function writeSnippets(appDirectory: string, packedPackages: PackedPackage[]): Snippet[] {
  const snippetsDirectory = join(appDirectory, 'snippets');
  mkdirSync(snippetsDirectory);
  const readmes = [
    'README.md',
    ...packedPackages.map((packed) =>
      relative(repositoryRoot, join(packed.directory, 'README.md')),
    ),
  ].filter((readme) => existsSync(join(repositoryRoot, readme)));
  const snippets = readmes.flatMap((readme) =>
    extractSnippets(readme, readFileSync(join(repositoryRoot, readme), 'utf8')),
  );
  for (const snippet of snippets) {
    // Line n of the file is README line firstLine + n - 1, so errors map back exactly; the
    // trailing `export {}` makes a block without imports a module too.
    writeFileSync(
      join(snippetsDirectory, snippetFileName(snippet)),
      `${snippet.code}\nexport {};\n`,
    );
  }
  const entryImports = packedPackages
    .flatMap(entryPointSpecifiers)
    .map(
      (specifier, index) => `import * as entry${index} from '${specifier}';\nvoid entry${index};`,
    );
  writeFileSync(join(snippetsDirectory, 'entry-points.ts'), `${entryImports.join('\n')}\n`);
  return snippets;
}

/** Rewrites `snippets/<file>.ts(line,column)` in tsc's output as `<README>:<line>:<column>`. */
function pointAtReadmes(output: string, snippets: Snippet[]): string {
  const byFile = new Map(snippets.map((snippet) => [snippetFileName(snippet), snippet]));
  return output.replace(/snippets\/([^(\s]+)\((\d+),(\d+)\)/g, (match, file, line, column) => {
    const snippet = byFile.get(file);
    if (!snippet) return match;
    return `${snippet.readme}:${snippet.firstLine + Number(line) - 1}:${column}`;
  });
}

function main(): number {
  const workDirectory = mkdtempSync(join(tmpdir(), 'twostage-readme-snippets-'));
  const tarballDirectory = join(workDirectory, 'tarballs');
  const appDirectory = join(workDirectory, 'app');
  mkdirSync(tarballDirectory);
  mkdirSync(appDirectory);
  let passed = false;
  try {
    const packedPackages = packPublicPackages(tarballDirectory);
    writeApp(appDirectory, packedPackages);
    const snippets = writeSnippets(appDirectory, packedPackages);
    console.log(`Installing ${packedPackages.length} packed packages into ${appDirectory} ...`);
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
      {
        cwd: appDirectory,
        // onnxruntime-node's install script would fetch CUDA binaries; type checks need none.
        env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const readmeCount = new Set(snippets.map((snippet) => snippet.readme)).size;
    console.log(`Type-checking ${snippets.length} snippets from ${readmeCount} READMEs ...`);
    // The workspace's own TypeScript, the version the packages are built with.
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
      cwd: appDirectory,
      encoding: 'utf8',
    });
    const output = pointAtReadmes(`${result.stdout}${result.stderr}`, snippets).trim();
    if (output) console.log(output);
    passed = result.status === 0;
    console.log(
      passed ? 'All README snippets type-check.' : 'README snippets failed to type-check.',
    );
  } finally {
    if (passed && process.env.TWOSTAGE_KEEP_SNIPPET_APP !== '1') {
      rmSync(workDirectory, { recursive: true, force: true });
    } else {
      console.log(`The app is kept in ${appDirectory}`);
    }
  }
  return passed ? 0 : 1;
}

process.exitCode = main();
