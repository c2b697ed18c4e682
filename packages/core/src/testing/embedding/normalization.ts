import * as assert from 'node:assert/strict';
import { embedInBatches } from '../helpers/fit-to-limit.js';
import { cjkText, emojiText } from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import { embeddingTexts } from './embedding-fixtures.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** Vectors have unit length, for models that promise it. */
export function registerNormalizationTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  if (!capabilities.normalized) return;
  registerTest(
    test,
    'embedding model: every vector has unit L2 norm',
    async () => {
      const model = await factory();
      const values = [...embeddingTexts, emojiText, cjkText];
      for (const inputType of ['query', 'document'] as const) {
        const embeddings = await embedInBatches(model, values, inputType);
        for (const [index, vector] of embeddings.entries()) {
          let squares = 0;
          for (const component of vector) squares += component * component;
          const norm = Math.sqrt(squares);
          assert.ok(Math.abs(norm - 1) <= 1e-3, `${inputType} vector ${index} has norm ${norm}`);
        }
      }
    },
    capabilities.timeoutMs,
  );
}
