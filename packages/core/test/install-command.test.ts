import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCommand } from '../src/registry/install-command.js';

// ProviderNotFoundError's hint speaks the application's package manager, found by its lock file.

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twostage-install-command-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function appWith(name: string, lockFile: string | undefined): Promise<string> {
  const directory = join(root, name, 'packages', 'app');
  await mkdir(directory, { recursive: true });
  if (lockFile !== undefined) await writeFile(join(root, name, lockFile), '');
  return directory;
}

describe('installCommand', () => {
  test.each([
    ['pnpm-lock.yaml', 'pnpm add @twostage/provider-cohere'],
    ['yarn.lock', 'yarn add @twostage/provider-cohere'],
    ['bun.lock', 'bun add @twostage/provider-cohere'],
    ['package-lock.json', 'npm install @twostage/provider-cohere'],
  ])('a workspace with %s above the app', async (lockFile, expected) => {
    const app = await appWith(lockFile.replace(/\W/g, '-'), lockFile);
    expect(installCommand('@twostage/provider-cohere', app)).toBe(expected);
  });

  test('no lock file anywhere: npm install', async () => {
    const app = await appWith('none', undefined);
    expect(installCommand('@twostage/embedded', app)).toBe('npm install @twostage/embedded');
  });
});
