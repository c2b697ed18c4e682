import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * Every package is packaged the same way, and every provider has the same shape: a factory, a
 * registry entry, a version, an error-mapping file and a conformance test. A machine checks it
 * so a new provider cannot quietly skip a piece.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDirectory = join(root, 'packages');
const packageNames = readdirSync(packagesDirectory).filter((name) =>
  existsSync(join(packagesDirectory, name, 'package.json')),
);
const providerNames = packageNames.filter((name) => name.startsWith('provider-'));

type PackageJson = {
  name: string;
  private?: boolean;
  license?: string;
  type?: string;
  sideEffects?: boolean;
  exports?: Record<string, Record<string, string> | string>;
  scripts?: Record<string, string>;
};

function readPackageJson(name: string): PackageJson {
  return JSON.parse(readFileSync(join(packagesDirectory, name, 'package.json'), 'utf8'));
}

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (entry === 'node_modules' || entry === 'fixtures') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('workspace packaging', () => {
  test('core and at least one provider exist', () => {
    expect(packageNames).toContain('core');
  });

  test.each(packageNames)('%s is an ESM package with a source-first exports map', (name) => {
    const packageJson = readPackageJson(name);
    expect(packageJson.name).toBe(`@twostage/${name}`);
    expect(packageJson.type).toBe('module');
    expect(packageJson.sideEffects).toBe(false);
    const main = packageJson.exports?.['.'];
    expect(typeof main).toBe('object');
    const conditions = Object.keys(main as Record<string, string>);
    expect(conditions[0]).toBe('@twostage/source');
    expect(conditions).toContain('types');
    expect(conditions).toContain('import');
    if (!packageJson.private) {
      // Published packages build to dist and say so; `types` comes before `import`.
      expect(conditions.indexOf('types')).toBeLessThan(conditions.indexOf('import'));
      expect(packageJson.scripts?.build).toBeTruthy();
    }
    expect(packageJson.scripts?.typecheck).toBeTruthy();
  });

  const publicPackageNames = packageNames.filter((name) => !readPackageJson(name).private);

  test.each(publicPackageNames)(
    '%s ships the Apache-2.0 LICENSE it declares and a README',
    (name) => {
      // npm packs LICENSE and README.md whatever `files` says; `pnpm check:packages` checks the
      // tarballs, this checks the sources without a build.
      expect(readPackageJson(name).license).toBe('Apache-2.0');
      const licensePath = join(packagesDirectory, name, 'LICENSE');
      const readmePath = join(packagesDirectory, name, 'README.md');
      expect(existsSync(licensePath), `packages/${name}/LICENSE exists`).toBe(true);
      expect(existsSync(readmePath), `packages/${name}/README.md exists`).toBe(true);
      const license = readFileSync(licensePath, 'utf8');
      expect(license).toContain(
        'Apache License\n                           Version 2.0, January 2004',
      );
      expect(license).toContain('END OF TERMS AND CONDITIONS');
      const readme = readFileSync(readmePath, 'utf8');
      expect(readme.startsWith(`# @twostage/${name}`)).toBe(true);
    },
  );
});

describe.each(providerNames)('provider package %s', (name) => {
  const providerName = name.replace(/^provider-/, '');
  const sourceFiles = filesUnder(join(packagesDirectory, name, 'src'));
  const testFiles = filesUnder(join(packagesDirectory, name, 'test')).concat(
    sourceFiles.filter((file) => file.endsWith('.test.ts')),
  );

  test('exports a create* factory, a default instance, twostageProvider and VERSION', async () => {
    const entry = pathToFileURL(join(packagesDirectory, name, 'src', 'index.ts')).href;
    const module = (await import(entry)) as Record<string, unknown>;
    const factoryName = Object.keys(module).find((key) => /^create[A-Z]\w*$/.test(key));
    expect(factoryName, 'a create* factory export').toBeDefined();
    expect(typeof module[factoryName as string]).toBe('function');
    expect(typeof module.VERSION).toBe('string');
    const registryEntry = module.twostageProvider as Record<string, unknown> | undefined;
    expect(typeof registryEntry).toBe('object');
    const kinds = ['reranker', 'retriever', 'embeddingModel'].filter(
      (kind) => typeof registryEntry?.[kind] === 'function',
    );
    expect(kinds.length).toBeGreaterThan(0);
  });

  test('maps provider failures to core errors in one error-mapping file', () => {
    const mappingFiles = sourceFiles.filter((file) => /map-[\w-]+-error\.ts$/.test(file));
    expect(mappingFiles.map((file) => file.split('/').pop())).not.toEqual([]);
    expect(providerName.length).toBeGreaterThan(0);
  });

  test('runs the core conformance suites', () => {
    const conformance = testFiles.filter((file) =>
      /(rerankStageTests|retrieveStageTests|embeddingModelTests)\(/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(conformance.map((file) => file.split('/').pop())).not.toEqual([]);
  });
});
