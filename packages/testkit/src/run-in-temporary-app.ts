import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** What {@link runInTemporaryApp} builds and runs. */
export type TemporaryAppOptions = {
  /**
   * The packages the application "installed": name → directory, linked into its
   * `node_modules` (e.g. `{ '@twostage/core': '/…/packages/core' }`). Nothing else is there, as
   * after `pnpm add` of exactly these packages.
   */
  packages: Record<string, string>;
  /** The application's source files: relative path → content. */
  files: Record<string, string>;
  /** The file to run, with `tsx` and the `@twostage/source` condition (no build needed). */
  entry: string;
  /** The child's whole environment (only `PATH` is added): nothing leaks in from the test run. */
  env?: Record<string, string>;
};

/**
 * Builds a throw-away application directory under the system's temporary folder whose
 * `node_modules` holds only the given packages, runs `entry` in a child Node process from that
 * directory, removes the directory and returns what the child printed. This is how tests prove
 * that configuration alone finds a provider package by name, from an application's root, under
 * pnpm's strict layout.
 */
export async function runInTemporaryApp(options: TemporaryAppOptions): Promise<string> {
  const application = await mkdtemp(join(tmpdir(), 'twostage-app-'));
  try {
    for (const [name, directory] of Object.entries(options.packages)) {
      const link = join(application, 'node_modules', ...name.split('/'));
      await mkdir(dirname(link), { recursive: true });
      await symlink(directory, link, 'dir');
    }
    await writeFile(join(application, 'package.json'), '{ "type": "module", "private": true }');
    for (const [path, content] of Object.entries(options.files)) {
      await mkdir(dirname(join(application, path)), { recursive: true });
      await writeFile(join(application, path), content);
    }
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [tsx, '--conditions=@twostage/source', options.entry],
      { cwd: application, env: { PATH: process.env.PATH ?? '', ...options.env } },
    );
    return stdout;
  } finally {
    await rm(application, { recursive: true, force: true });
  }
}
