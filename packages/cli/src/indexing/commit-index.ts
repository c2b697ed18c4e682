import { mkdir } from 'node:fs/promises';
import type { AnyEmbeddedRetriever } from '@twostage/embedded';
import { engineDirectoryOf } from '../open-index.js';
import { type IndexManifest, writeIndexManifest } from './index-manifest.js';

/**
 * Replaces the index in `directory` by `retriever` and `manifest`: the manifest is first
 * written in state `writing`, then the engine saves (atomically: a new data file, then its own
 * manifest renamed over the old one), then the manifest is written in state `complete`. A
 * process that dies in between leaves a loadable engine (old or new) and a `writing` manifest,
 * which makes the next run rebuild from the sources rather than trust either.
 */
export async function commitIndex(
  directory: string,
  manifest: IndexManifest,
  retriever: AnyEmbeddedRetriever,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeIndexManifest(directory, { ...manifest, state: 'writing' });
  await retriever.save(engineDirectoryOf(directory));
  await writeIndexManifest(directory, { ...manifest, state: 'complete' });
}
