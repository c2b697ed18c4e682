import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Lock files that name an application's package manager, in the order they are looked for. */
const lockFiles: readonly [file: string, command: string][] = [
  ['pnpm-lock.yaml', 'pnpm add'],
  ['yarn.lock', 'yarn add'],
  ['bun.lock', 'bun add'],
  ['bun.lockb', 'bun add'],
  ['package-lock.json', 'npm install'],
];

/**
 * The command that installs `packageName` in the application at `cwd`: the package manager
 * whose lock file is nearest (walking up, as a workspace keeps its lock file at the root),
 * `npm install` when there is none. An install hint in the wrong manager's syntax is a hint that
 * fails.
 */
export function installCommand(packageName: string, cwd: string): string {
  let directory = cwd;
  for (;;) {
    for (const [file, command] of lockFiles) {
      if (existsSync(join(directory, file))) return `${command} ${packageName}`;
    }
    const parent = dirname(directory);
    if (parent === directory) return `npm install ${packageName}`;
    directory = parent;
  }
}
