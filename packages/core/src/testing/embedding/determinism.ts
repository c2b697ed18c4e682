import { assertVectorsClose } from '../helpers/assert-vectors.js';
import { fitValues } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** The same call twice gives the same vectors. */
export function registerEmbeddingDeterminismTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  if (!capabilities.deterministic) return;
  registerTest(
    test,
    'embedding model: the same call twice gives the same vectors',
    async () => {
      const model = await factory();
      const options = { values: fitValues(model, embeddingTexts), inputType: 'query' as const };
      const first = await model.doEmbed(options);
      const second = await model.doEmbed(options);
      for (const [index, expected] of first.embeddings.entries()) {
        const actual = second.embeddings[index];
        if (actual === undefined) throw new Error(`missing vector ${index}`);
        assertVectorsClose(actual, expected, capabilities.vectorTolerance, `value ${index}`);
      }
    },
    capabilities.timeoutMs,
  );
}
