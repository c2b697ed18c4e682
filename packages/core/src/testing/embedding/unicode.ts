import { assertValidEmbeddings, assertVectorsClose } from '../helpers/assert-vectors.js';
import { embedInBatches } from '../helpers/fit-to-limit.js';
import {
  cjkText,
  emojiText,
  longDocument,
  mixedScriptText,
  vietnameseNfc,
  vietnameseNfd,
} from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import type { EmbeddingSuiteContext } from './embedding-suite-context.js';

/** Vietnamese (NFC and NFD), emoji, CJK, mixed scripts and a long text all embed. */
export function registerEmbeddingUnicodeTests({
  test,
  factory,
  capabilities,
}: EmbeddingSuiteContext): void {
  const values = [
    vietnameseNfc,
    vietnameseNfd,
    emojiText,
    cjkText,
    mixedScriptText,
    longDocument(20_000),
  ];
  registerTest(
    test,
    'embedding model: embeds Vietnamese (NFC and NFD), emoji, CJK, mixed scripts and a 20,000-character text',
    async () => {
      const model = await factory();
      const embeddings = await embedInBatches(model, values, 'document');
      assertValidEmbeddings(embeddings, {
        count: values.length,
        dimensions: model.dimensions,
        what: 'doEmbed of Unicode texts',
      });
    },
    capabilities.timeoutMs,
  );

  if (!capabilities.unicodeNormalization) return;
  registerTest(
    test,
    'embedding model: the NFC and NFD spellings of a text get the same vector',
    async () => {
      const model = await factory();
      const [nfc, nfd] = await embedInBatches(model, [vietnameseNfc, vietnameseNfd], 'query');
      if (nfc === undefined || nfd === undefined) throw new Error('missing vector');
      assertVectorsClose(nfd, nfc, capabilities.vectorTolerance, 'NFD vs NFC');
    },
    capabilities.timeoutMs,
  );
}
