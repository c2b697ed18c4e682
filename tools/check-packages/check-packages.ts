/**
 * Lints every public package as npm would receive it: packs each one with `pnpm pack`, then runs
 * publint (the manifest, `exports` and the files they point at) and arethetypeswrong (how
 * TypeScript resolves the types under each module resolution) on the tarball, and checks that
 * the tarball ships its LICENSE and README.md. Exits non-zero on any finding.
 *
 * Run after `pnpm build`: `pnpm check:packages` (or `tsx tools/check-packages/check-packages.ts`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PackedPackage, packPublicPackages, repositoryRoot } from './pack-public-packages.js';

const binaries = join(repositoryRoot, 'node_modules', '.bin');

/** The files every published package carries, whatever its `files` field says. */
const requiredFiles = ['LICENSE', 'README.md', 'package.json'];

/** Runs one checker, streaming its output; true when it exited 0. */
function runChecker(command: string, commandArguments: string[]): boolean {
  const result = spawnSync(join(binaries, command), commandArguments, {
    cwd: repositoryRoot,
    stdio: 'inherit',
  });
  return result.status === 0;
}

function checkPackage(packed: PackedPackage): string[] {
  const failures: string[] = [];
  const missing = requiredFiles.filter((file) => !packed.files.includes(file));
  if (missing.length > 0) failures.push(`the tarball lacks ${missing.join(', ')}`);

  // Warnings count as failures (--strict): publint warns about things that break some users
  // (a file that `exports` names but the tarball lacks, `types` after `import`), and this repo
  // has no known warning to tolerate.
  if (!runChecker('publint', ['run', packed.tarball, '--strict'])) failures.push('publint');

  // The packages are ESM only (`"type": "module"`, `exports` with `import` and no `require`).
  // The `esm-only` profile leaves out the resolutions such a package cannot serve by design:
  // `node10` (no `exports` support, so subpaths like `/testing` cannot resolve) and
  // `node16` from CommonJS (where `require` of ESM is a typed error for TypeScript).
  // Every ESM resolution (`node16` from ESM, `bundler`) must still be clean.
  if (!runChecker('attw', [packed.tarball, '--profile', 'esm-only', '--format', 'ascii'])) {
    failures.push('arethetypeswrong');
  }
  return failures;
}

function main(): number {
  const destination = mkdtempSync(join(tmpdir(), 'twostage-check-packages-'));
  try {
    const packedPackages = packPublicPackages(destination);
    const report = packedPackages.map((packed) => {
      console.log(`\n── ${packed.name} (${packed.tarball})`);
      return { name: packed.name, failures: checkPackage(packed) };
    });
    const failed = report.filter((entry) => entry.failures.length > 0);
    console.log('');
    for (const entry of report) {
      const verdict = entry.failures.length === 0 ? 'ok' : `FAILED: ${entry.failures.join('; ')}`;
      console.log(`${entry.name}: ${verdict}`);
    }
    return failed.length === 0 ? 0 : 1;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

process.exitCode = main();
