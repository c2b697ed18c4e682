/**
 * `pnpm --filter @twostage/core bench`: prints the core's own figures. Each section lives in its
 * own file exporting an async function that prints a table; add a section by importing it here
 * and appending it to `sections`.
 */
import { benchRerankOverhead } from './rerank-overhead.js';

const sections: { name: string; run: () => Promise<void> }[] = [
  { name: 'rerank overhead', run: benchRerankOverhead },
];

console.log(`@twostage/core bench — Node ${process.version}, ${process.platform}/${process.arch}`);
for (const section of sections) {
  console.log(`\n## ${section.name}`);
  await section.run();
}
