import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, test } from 'vitest';
import { type EncoderLimits, PairEncoder } from '../src/tokenizer/pair-encoder.js';
import { specialTokenTemplateOf } from '../src/tokenizer/special-token-template.js';
import { earlyCutLength, wordStartTestOf } from '../src/tokenizer/word-start.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';

function loadEncoder(directory: string, limits: EncoderLimits) {
  const tokenizerJson = JSON.parse(readFileSync(join(directory, 'tokenizer.json'), 'utf8'));
  const tokenizerConfig = JSON.parse(
    readFileSync(join(directory, 'tokenizer_config.json'), 'utf8'),
  );
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  const template = specialTokenTemplateOf(tokenizerJson);
  if (template === undefined) throw new Error('no template');
  return {
    encoder: new PairEncoder(tokenizer, template, limits, wordStartTestOf(tokenizerJson)),
    tokenizer,
  };
}

const bert = fixtureModel('bert-cross-encoder');
const xlmr = fixtureModel('xlm-roberta-cross-encoder');

describe('PairEncoder without truncation', () => {
  test.each([
    ['BERT', bert],
    ['XLM-R', xlmr],
  ])(
    '%s: ids equal the tokenizer’s own pair encoding; type ids as the Rust crate gives them',
    (name, directory) => {
      const { encoder, tokenizer } = loadEncoder(directory, {
        maxLength: 128,
        truncation: 'longest_first',
      });
      for (const document of sampleDocuments) {
        const expected = tokenizer.encode(sampleQuery, {
          text_pair: document,
          return_token_type_ids: true,
        });
        const actual = encoder.encodePair(encoder.tokenizeQuery(sampleQuery), document);
        expect(actual.ids).toEqual(expected.ids);
        // BERT: 0 then 1. RoBERTa-family: all 0 in the Rust crate (the JavaScript port says 1 for the
        // second part; those models take no type ids anyway). rust-truncation.test.ts checks both.
        expect(actual.typeIds).toEqual(
          name === 'BERT' ? expected.token_type_ids : expected.ids.map(() => 0),
        );
        expect(actual.truncated).toBe(false);
      }
    },
  );
});

describe('PairEncoder truncation, against hand-checked token ids', () => {
  // BERT fixture vocabulary: [CLS]=2 [SEP]=3 bank=156 loan=157 rate=160 the=143 cat=189 sat=191 on=150 mat=192
  test('BERT longest_first: the short query stays whole, the document fills the rest, the final [SEP] stays', () => {
    const { encoder } = loadEncoder(bert, { maxLength: 12, truncation: 'longest_first' });
    const encoded = encoder.encodePair(
      encoder.tokenizeQuery('bank loan rate'),
      'the cat sat on the mat the cat sat on the mat',
    );
    expect(encoded.ids).toEqual([2, 156, 157, 160, 3, 143, 189, 191, 150, 143, 192, 3]);
    expect(encoded.typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(encoded.truncated).toBe(true);
  });

  test('BERT longest_first: both too long → halves of the budget, the longer query keeps the odd token', () => {
    const { encoder } = loadEncoder(bert, { maxLength: 12, truncation: 'longest_first' });
    const encoded = encoder.encodePair(
      encoder.tokenizeQuery('bank loan rate the cat sat on the mat'),
      'bank loan rate the cat sat',
    );
    expect(encoded.ids).toEqual([2, 156, 157, 160, 143, 189, 3, 156, 157, 160, 143, 3]);
  });

  test('BERT only_second: the query is capped, then only the document is cut', () => {
    const { encoder } = loadEncoder(bert, {
      maxLength: 10,
      truncation: 'only_second',
      queryMaxTokens: 2,
    });
    const encoded = encoder.encodePair(
      encoder.tokenizeQuery('bank loan rate the cat sat on the mat'),
      'the cat sat on the mat',
    );
    expect(encoded.ids).toEqual([2, 156, 157, 3, 143, 189, 191, 150, 143, 3]);
  });

  // XLM-R fixture vocabulary: <s>=0 </s>=2 ▁bank=145 ▁loan=146 ▁rate=149 ▁the=131 ▁cat=178 ▁sat=180 ▁on=139 ▁mat=181
  test('XLM-R longest_first: <s> q </s></s> d </s> with the final </s> kept', () => {
    const { encoder } = loadEncoder(xlmr, { maxLength: 12, truncation: 'longest_first' });
    const encoded = encoder.encodePair(
      encoder.tokenizeQuery('bank loan rate'),
      'the cat sat on the mat the cat',
    );
    expect(encoded.ids).toEqual([0, 145, 146, 149, 2, 2, 131, 178, 180, 139, 131, 2]);
  });

  test('single texts (bi-encoder) are cut before the final separator', () => {
    const { encoder } = loadEncoder(bert, { maxLength: 5, truncation: 'longest_first' });
    expect(encoder.encodeSingle('the cat sat on the mat').ids).toEqual([2, 143, 189, 191, 3]);
  });
});

describe('word starts and the early cut', () => {
  test('WordPiece words end before the next token without ##; Metaspace words start with ▁', () => {
    const wordPiece = wordStartTestOf({
      model: { type: 'WordPiece', continuing_subword_prefix: '##' },
    });
    expect(['e', '-', 'm', '##a', '##il', '[UNK]'].map(wordPiece)).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
    const metaspace = wordStartTestOf({
      model: { type: 'Unigram' },
      pre_tokenizer: {
        type: 'Sequence',
        pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁' }],
      },
    });
    expect(['▁ngân', 'h', '▁', 'àng'].map(metaspace)).toEqual([true, false, true, false]);
  });

  test('a text longer than the limit counts up to the end of the word holding the limit', () => {
    const wordPiece = wordStartTestOf({ model: { type: 'WordPiece' } });
    const tokens = ['a', 'b', '##c', '##d', 'e', 'f'];
    expect(earlyCutLength(tokens, 6, wordPiece)).toBe(6); // fits
    expect(earlyCutLength(tokens, 2, wordPiece)).toBe(4); // 'b ##c ##d' is one word
    expect(earlyCutLength(tokens, 4, wordPiece)).toBe(4);
    expect(earlyCutLength(tokens, 5, wordPiece)).toBe(5);
    expect(earlyCutLength(['a', '##b', '##c'], 1, wordPiece)).toBe(3);
  });
});
