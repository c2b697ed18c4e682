/**
 * Writes synthetic models.
 *   pnpm generate-models fixtures        → test/fixtures/models/* (committed)
 *   pnpm generate-models bench [names…]  → bench/.models/* (gitignored; MiniLM-L6 and bge-base shapes)
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeSyntheticModel } from '../src/testing/index.js';
import { benchSpecs, fixtureSpecs } from './fixture-specs.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const [target = 'fixtures', ...names] = process.argv.slice(2);
const specs = target === 'bench' ? benchSpecs : fixtureSpecs;
const root =
  target === 'bench' ? `${packageRoot}bench/.models` : `${packageRoot}test/fixtures/models`;
for (const [name, spec] of Object.entries(specs)) {
  if (names.length > 0 && !names.includes(name)) continue;
  const started = performance.now();
  await rm(`${root}/${name}`, { recursive: true, force: true });
  await writeSyntheticModel(`${root}/${name}`, spec);
  console.log(`${name}: ${(performance.now() - started).toFixed(0)} ms → ${root}/${name}`);
}
