import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Finds the file that `import(packageName)` would load if it were written in the application at
 * `cwd`, or `undefined` when the package is not installed there.
 *
 * Why not just `import(packageName)`: under pnpm's strict layout core can only import what it
 * declares, and a provider package is a dependency of the application, not of core. Resolving
 * from the application's root finds it wherever the application can.
 *
 * Node offers no public way to resolve an ES module from another directory (`import.meta.resolve`
 * takes a parent only behind a flag), and `require.resolve` applies the `require` condition,
 * which ESM-only packages do not export. So this finds the package directory the way Node does
 * (the `node_modules` folders from `cwd` upwards) and reads its `exports` with the conditions an
 * `import` would use: the process's own `--conditions` / `-C`, then `node`, `import`, `default`.
 */
export function resolvePackageEntry(packageName: string, cwd: string): string | undefined {
  const requireFromApplication = createRequire(join(cwd, 'package.json'));
  const searchPaths = requireFromApplication.resolve.paths(packageName) ?? [];
  for (const nodeModules of searchPaths) {
    const manifestPath = join(nodeModules, packageName, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const entry = packageEntryPoint(manifest, importConditions());
    if (entry !== undefined) return join(dirname(manifestPath), entry);
    // An `exports` map without an import entry: let Node's CommonJS resolution have its say.
    return requireFromApplication.resolve(packageName);
  }
  return undefined;
}

/** The conditions of an `import` in this process, in Node's order of precedence. */
function importConditions(): ReadonlySet<string> {
  const conditions = new Set<string>();
  const argv = process.execArgv;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument.startsWith('--conditions='))
      conditions.add(argument.slice('--conditions='.length));
    else if (argument.startsWith('-C=')) conditions.add(argument.slice(3));
    else if (argument === '--conditions' || argument === '-C')
      conditions.add(argv[index + 1] ?? '');
  }
  for (const condition of ['node', 'import', 'default']) conditions.add(condition);
  return conditions;
}

/** The package's main entry for an `import` with `conditions`, relative to its directory. */
function packageEntryPoint(manifest: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (manifest === null || typeof manifest !== 'object') return undefined;
  const { exports, main } = manifest as { exports?: unknown; main?: unknown };
  if (exports === undefined || exports === null)
    return typeof main === 'string' ? main : 'index.js';
  const isSubpathMap =
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((key) => key.startsWith('.'));
  const target = isSubpathMap ? (exports as Record<string, unknown>)['.'] : exports;
  return resolveTarget(target, conditions);
}

/** Picks the first target whose condition is active, following nested condition objects. */
function resolveTarget(target: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (target === null || typeof target !== 'object') return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!conditions.has(condition)) continue;
    const resolved = resolveTarget(value, conditions);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}
