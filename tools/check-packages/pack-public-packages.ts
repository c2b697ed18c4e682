import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so the checks run from any directory. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The fields of a package manifest these checks read. */
export type PackageManifest = {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
};

/** A workspace package that is published to npm (its manifest has no `private: true`). */
export type PublicPackage = {
  /** The package name, e.g. `@twostage/core`. */
  name: string;
  /** Absolute path of the package folder. */
  directory: string;
  manifest: PackageManifest;
};

/** A public package packed by `pnpm pack`, exactly as npm would receive it. */
export type PackedPackage = PublicPackage & {
  /** Absolute path of the `.tgz` file. */
  tarball: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  files: string[];
};

/** Every public package under `packages/`, in folder order. */
export function listPublicPackages(root: string = repositoryRoot): PublicPackage[] {
  const packagesDirectory = join(root, 'packages');
  return readdirSync(packagesDirectory)
    .map((folder) => join(packagesDirectory, folder))
    .filter((directory) => existsSync(join(directory, 'package.json')))
    .map((directory) => {
      const manifest = JSON.parse(
        readFileSync(join(directory, 'package.json'), 'utf8'),
      ) as PackageManifest;
      return { name: manifest.name, directory, manifest };
    })
    .filter((entry) => entry.manifest.private !== true);
}

/**
 * Packs every public package into `destination` with `pnpm pack`, which rewrites `workspace:*`
 * ranges to real versions as `pnpm publish` does. The packages must already be built
 * (`pnpm build`): packing does not build, so a missing `dist` fails here with that advice
 * rather than later as a confusing type error.
 */
export function packPublicPackages(
  destination: string,
  root: string = repositoryRoot,
): PackedPackage[] {
  return listPublicPackages(root).map((entry) => {
    if (!existsSync(join(entry.directory, 'dist'))) {
      throw new Error(`${entry.name} has no dist folder: run \`pnpm build\` first.`);
    }
    const output = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: entry.directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = JSON.parse(output) as { filename: string; files: { path: string }[] };
    return { ...entry, tarball: report.filename, files: report.files.map((file) => file.path) };
  });
}
