import { assertValidEmbeddings, assertVectorsClose } from '../helpers/assert-vectors.js';
import { fitValues } from '../helpers/fit-to-limit.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** One finite vector of `dimensions` per input, in input order. */
export function registerVectorsShapeTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  for (const inputType of ['query', 'document'] as const) {
    registerTest(
      test,
      `embedding model: one finite vector of the declared dimensions per value (inputType '${inputType}')`,
      async () => {
        const model = await factory();
        const values = fitValues(model, embeddingTexts);
        const result = await model.doEmbed({ values, inputType });
        assertValidEmbeddings(result.embeddings, {
          count: values.length,
          dimensions: model.dimensions,
          what: `doEmbed ${inputType}`,
        });
      },
      capabilities.timeoutMs,
    );
  }

  registerTest(
    test,
    'embedding model: embeds a single value',
    async () => {
      const model = await factory();
      const result = await model.doEmbed({ values: [embeddingTexts[0] ?? ''], inputType: 'query' });
      assertValidEmbeddings(result.embeddings, {
        count: 1,
        dimensions: model.dimensions,
        what: 'doEmbed one value',
      });
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'embedding model: vectors are the caller’s: later calls do not change them',
    async () => {
      const model = await factory();
      // A model that hands out views of a buffer it reuses (an inference engine's output tensor)
      // would rewrite the first call's vectors with the second call's.
      const [firstText = '', secondText = ''] = embeddingTexts;
      const first = await model.doEmbed({ values: [firstText], inputType: 'document' });
      const kept = first.embeddings.map((vector) => Float32Array.from(vector));
      await model.doEmbed({ values: [secondText], inputType: 'document' });
      for (const [index, vector] of first.embeddings.entries()) {
        const copy = kept[index];
        if (copy === undefined) throw new Error('missing vector');
        assertVectorsClose(vector, copy, 0, `vector ${index} of the first call, after a second`);
      }
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.deterministic) return;
  registerTest(
    test,
    'embedding model: vectors follow the input order',
    async () => {
      const model = await factory();
      const values = fitValues(model, embeddingTexts);
      const forward = await model.doEmbed({ values, inputType: 'document' });
      const reversed = await model.doEmbed({
        values: [...values].reverse(),
        inputType: 'document',
      });
      const last = values.length - 1;
      for (let index = 0; index <= last; index += 1) {
        const expected = forward.embeddings[index];
        const actual = reversed.embeddings[last - index];
        if (expected === undefined || actual === undefined) throw new Error('missing vector');
        assertVectorsClose(
          actual,
          expected,
          capabilities.vectorTolerance,
          `value ${index} embedded in reverse order`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}
