import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, test } from 'vitest';
import { PairEncoder } from '../src/tokenizer/pair-encoder.js';
import { specialTokenTemplateOf } from '../src/tokenizer/special-token-template.js';
import { type WordStartTest, wordStartTestOf } from '../src/tokenizer/word-start.js';
import { fixtureModel } from './fixture-models.js';

/** Written by `scripts/rust-truncation-reference.py` with the Rust crate's Python binding. */
type Reference = {
  tokenizers: string;
  cases: {
    model: 'bert-cross-encoder' | 'xlm-roberta-cross-encoder';
    maxLength: number;
    query: string;
    document: string;
    ids: number[];
    typeIds: number[];
  }[];
};

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/rust-truncation.json', import.meta.url), 'utf8'),
) as Reference;

function encoderFor(model: string, maxLength: number, isWordStart?: WordStartTest) {
  const directory = fixtureModel(model as 'bert-cross-encoder');
  const tokenizerJson = JSON.parse(readFileSync(join(directory, 'tokenizer.json'), 'utf8'));
  const tokenizerConfig = JSON.parse(
    readFileSync(join(directory, 'tokenizer_config.json'), 'utf8'),
  );
  const template = specialTokenTemplateOf(tokenizerJson);
  if (template === undefined) throw new Error('no template');
  return new PairEncoder(
    new Tokenizer(tokenizerJson, tokenizerConfig),
    template,
    { maxLength, truncation: 'longest_first' },
    isWordStart ?? wordStartTestOf(tokenizerJson),
  );
}

const encode = (encoder: PairEncoder, query: string, document: string) =>
  encoder.encodePair(encoder.tokenizeQuery(query), document);

describe(`longest_first equals the Rust tokenizers crate (${reference.tokenizers}) on long pairs`, () => {
  test.each(['bert-cross-encoder', 'xlm-roberta-cross-encoder'])('%s', (model) => {
    const cases = reference.cases.filter((entry) => entry.model === model);
    let cutAtWordEnds = 0;
    for (const entry of cases) {
      const actual = encode(encoderFor(model, entry.maxLength), entry.query, entry.document);
      expect({ ...entry, ids: actual.ids, typeIds: actual.typeIds }).toEqual(entry);
      // Cutting at exactly the limit (ignoring word ends) gets some of these cases wrong, so the
      // reference data does exercise the word-end rule.
      const tokenCut = encode(
        encoderFor(model, entry.maxLength, () => true),
        entry.query,
        entry.document,
      );
      if (tokenCut.ids.join() !== entry.ids.join()) cutAtWordEnds += 1;
    }
    expect(cases.length).toBe(60);
    expect(cutAtWordEnds).toBeGreaterThan(0);
  });
});
