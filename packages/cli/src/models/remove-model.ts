import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type CliContext, writeLine } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { checkedModelDirectory } from './check-hub-id.js';
import { formatBytes } from './format-bytes.js';
import { cacheDirectoryFromEnv } from './hub-settings.js';
import { listCachedModels } from './list-cached-models.js';

/**
 * `twostage models rm`: removes every cached revision of `hubId` (or only `revision`), and the
 * owner's folder when it is left empty.
 *
 * @throws CliError (exit 2) for a malformed id or revision; (exit 1) when nothing of it is cached
 */
export async function removeModel(
  hubId: string,
  revision: string | undefined,
  context: CliContext,
): Promise<void> {
  const cacheDirectory = cacheDirectoryFromEnv(context);
  const revisionDirectory = checkedModelDirectory(
    cacheDirectory,
    hubId,
    revision ?? 'main',
    'models rm',
  );
  const target = revision === undefined ? dirname(revisionDirectory) : revisionDirectory;
  const removed = (await listCachedModels(cacheDirectory)).filter(
    (model) => model.id === hubId && (revision === undefined || model.revision === revision),
  );
  if (removed.length === 0) {
    throw new CliError(
      `${hubId}${revision === undefined ? '' : ` (revision ${revision})`} is not in the model cache (${cacheDirectory}).`,
      { hint: "'twostage models list' shows the cached models and their revisions." },
    );
  }
  await rm(target, { recursive: true, force: true });
  await removeIfEmpty(dirname(target));
  if (revision !== undefined) await removeIfEmpty(dirname(dirname(target)));
  const bytes = removed.reduce((sum, model) => sum + model.bytes, 0);
  const revisions = removed.map((model) => model.revision).join(', ');
  writeLine(
    context.stdout,
    `Removed ${hubId} (revision ${revisions}, ${formatBytes(bytes)}) from ${cacheDirectory}.`,
  );
}

async function removeIfEmpty(directory: string): Promise<void> {
  try {
    if ((await readdir(directory)).length === 0) await rmdir(directory);
  } catch {
    // Already gone, or not ours to judge: leaving an empty folder is harmless.
  }
}
