import * as assert from 'node:assert/strict';
import { assertRanksAll, assertScoresClose, scoresByIndex } from '../helpers/assert-ranking.js';
import { fitDocuments } from '../helpers/fit-to-limit.js';
import {
  cjkText,
  emojiText,
  mixedScriptText,
  vietnameseNfc,
  vietnameseNfd,
  vietnameseQuery,
} from '../helpers/texts.js';
import { registerTest } from '../test-function.js';
import type { RerankSuiteContext } from './rerank-suite-context.js';

const unicodeDocuments: readonly string[] = [
  vietnameseNfc,
  vietnameseNfd,
  emojiText,
  cjkText,
  mixedScriptText,
];

/** Vietnamese (NFC and NFD), emoji, CJK and mixed scripts, in documents and in queries. */
export function registerRerankUnicodeTests({
  test,
  factory,
  capabilities,
}: RerankSuiteContext): void {
  const queries: { name: string; query: string }[] = [
    { name: 'a Vietnamese query', query: vietnameseQuery },
    { name: 'a Vietnamese query in NFD form', query: vietnameseQuery.normalize('NFD') },
    { name: 'an emoji query', query: 'thẻ 💳 🎉' },
    { name: 'a CJK query', query: '信用卡年费' },
  ];
  for (const { name, query } of queries) {
    registerTest(
      test,
      `rerank stage: ranks Vietnamese, emoji, CJK and mixed-script documents for ${name}`,
      async () => {
        const stage = await factory();
        const values = fitDocuments(stage, unicodeDocuments);
        const result = await stage.doRerank({ query, documents: { type: 'text', values } });
        assertRanksAll(result.ranking, values.length, `doRerank for ${name}`);
      },
      capabilities.timeoutMs,
    );
  }

  if (capabilities.unicodeNormalization) {
    registerTest(
      test,
      'rerank stage: the NFC and NFD spellings of a document get the same score',
      async () => {
        const stage = await factory();
        const result = await stage.doRerank({
          query: vietnameseQuery,
          documents: { type: 'text', values: fitDocuments(stage, unicodeDocuments) },
        });
        const scores = scoresByIndex(result.ranking);
        const nfc = scores.get(0);
        const nfd = scores.get(1);
        assert.ok(nfc !== undefined && nfd !== undefined, 'both spellings must be ranked');
        assertScoresClose(nfd, nfc, capabilities.scoreTolerance, 'NFD vs NFC score');
      },
      capabilities.timeoutMs,
    );
  }
}
