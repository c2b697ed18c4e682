import { InvalidArgumentError } from '@twostage/core';
import { describe, expect, it } from 'vitest';
import { chunkText, type TextChunk } from '../src/indexing/chunk-text.js';

/** Every chunk's offsets give back its text, and no chunk has a blank at either end. */
function expectExactSlices(text: string, chunks: readonly TextChunk[]): void {
  chunks.forEach((chunk, index) => {
    expect(chunk.index).toBe(index);
    expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    expect(chunk.text).toBe(chunk.text.trim());
  });
}

// "Sentence number N is here." is six tokens: five words and the full stop.
const sentence = (number: string) => `Sentence number ${number} is here.`;
const numbers = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];
const sixTokenSentences = numbers.map(sentence).join(' ');

describe('chunkText', () => {
  it('has no chunks for an empty or blank text', () => {
    expect(chunkText('', { unit: 'tokens', size: 200, overlap: 40 })).toEqual([]);
    expect(chunkText(' \n\t  ', { unit: 'chars', size: 1000, overlap: 200 })).toEqual([]);
  });

  it('keeps a text shorter than one chunk whole, without the blanks around it', () => {
    const content = 'Early termination costs 2% of the amount. No fee after five years.';
    const text = `\n  ${content}  \n`;
    expect(chunkText(text, { unit: 'tokens', size: 200, overlap: 40 })).toEqual([
      { index: 0, start: 3, end: 3 + content.length, text: content },
    ]);
  });

  it('ends chunks at sentence ends and repeats whole sentences as the overlap', () => {
    const chunks = chunkText(sixTokenSentences, { unit: 'tokens', size: 20, overlap: 7 });
    expectExactSlices(sixTokenSentences, chunks);
    // Three sentences (18 tokens) fit in 20; the next chunk repeats the last one (6 ≤ 7).
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      [sentence('one'), sentence('two'), sentence('three')].join(' '),
      [sentence('three'), sentence('four'), sentence('five')].join(' '),
      [sentence('five'), sentence('six'), sentence('seven')].join(' '),
    ]);
  });

  it('repeats nothing after a sentence end when the last sentence is longer than the overlap', () => {
    const chunks = chunkText(sixTokenSentences, { unit: 'tokens', size: 12, overlap: 4 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      [sentence('one'), sentence('two')].join(' '),
      [sentence('three'), sentence('four')].join(' '),
      [sentence('five'), sentence('six')].join(' '),
      sentence('seven'),
    ]);
  });

  it('cuts a sentence longer than a chunk between words, overlapping by the given number of tokens', () => {
    const words = Array.from({ length: 50 }, (_, index) => `w${index}`);
    const text = words.join(' ');
    const chunks = chunkText(text, { unit: 'tokens', size: 20, overlap: 5 });
    expectExactSlices(text, chunks);
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      words.slice(0, 20).join(' '),
      words.slice(15, 35).join(' '),
      words.slice(30, 50).join(' '),
    ]);
  });

  it('does not end a sentence inside a number, after a lower-case word, or before a lower-case word', () => {
    const text = 'The rate is 2.5 percent, e.g. for loans. Fees apply. Then more.';
    const chunks = chunkText(text, { unit: 'tokens', size: 14, overlap: 0 });
    // 'The rate is 2 . 5 percent , e . g . for loans .' is 16 tokens: too long for one chunk,
    // and no sentence starts inside it (2.5 and e.g. do not end one), so it is cut at 14
    // tokens, moved back to a blank so that 'loans.' stays together.
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'The rate is 2.5 percent, e.g. for',
      'loans. Fees apply. Then more.',
    ]);
  });

  it('counts Vietnamese syllables as tokens, with their diacritics, in NFC and in NFD', () => {
    const first = 'Khách hàng có thể tất toán khoản vay trước hạn.'; // 10 syllables + '.'
    const second = 'Phí phạt là 2% số tiền trả trước.'; // 8 words/numbers + '%' + '.'
    const text = `${first} ${second}`;
    for (const form of [text, text.normalize('NFD')]) {
      const chunks = chunkText(form, { unit: 'tokens', size: 11, overlap: 0 });
      expectExactSlices(form, chunks);
      expect(chunks.map((chunk) => chunk.text.normalize('NFC'))).toEqual([first, second]);
    }
  });

  it('counts each Han character as a token', () => {
    const text = '提前还款。不收费。';
    const chunks = chunkText(text, { unit: 'tokens', size: 5, overlap: 0 });
    expectExactSlices(text, chunks);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['提前还款。', '不收费。']);
  });

  it('measures characters with --chunk-unit chars: spans within the size, overlaps within the overlap', () => {
    const text = Array.from({ length: 40 }, (_, index) =>
      index % 3 === 0 ? `Clause ${index} covers early repayment.` : `fee ${index} applies`,
    ).join(' ');
    const chunks = chunkText(text, { unit: 'chars', size: 120, overlap: 30 });
    expectExactSlices(text, chunks);
    expect(chunks.length).toBeGreaterThan(5);
    for (const [index, chunk] of chunks.entries()) {
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(120);
      const next = chunks[index + 1];
      if (next !== undefined) {
        expect(next.start).toBeGreaterThan(chunk.start);
        expect(Math.max(0, chunk.end - next.start)).toBeLessThanOrEqual(30);
      }
    }
    expect(chunks.at(-1)?.end).toBe(text.length);
  });

  it('keeps a single word longer than the size whole', () => {
    const long = 'x'.repeat(50);
    expect(chunkText(`short ${long} end`, { unit: 'chars', size: 20, overlap: 0 })).toEqual([
      { index: 0, start: 0, end: 5, text: 'short' },
      { index: 1, start: 6, end: 56, text: long },
      { index: 2, start: 57, end: 60, text: 'end' },
    ]);
  });

  it('covers every word of the text, in order, whatever the settings', () => {
    const text = `${sixTokenSentences}\n\n${'Một câu tiếng Việt rất dài không có dấu chấm '.repeat(12)}`;
    for (const options of [
      { unit: 'tokens', size: 9, overlap: 3 },
      { unit: 'tokens', size: 200, overlap: 40 },
      { unit: 'chars', size: 64, overlap: 16 },
    ] as const) {
      const chunks = chunkText(text, options);
      expectExactSlices(text, chunks);
      let covered = chunks[0]?.start ?? 0;
      for (const chunk of chunks) {
        // Chunks overlap or touch; only blanks lie between one's end and the next's start.
        expect(text.slice(covered, Math.max(covered, chunk.start)).trim()).toBe('');
        covered = Math.max(covered, chunk.end);
      }
      expect(covered).toBe(text.trimEnd().length);
    }
  });

  it('refuses sizes and overlaps out of range', () => {
    expect(() => chunkText('a', { unit: 'tokens', size: 0, overlap: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => chunkText('a', { unit: 'tokens', size: 10, overlap: 10 })).toThrow(/overlap/);
    expect(() => chunkText('a', { unit: 'tokens', size: 2.5, overlap: 0 })).toThrow(/size/);
    expect(() => chunkText('a', { unit: 'words' as 'tokens', size: 10, overlap: 0 })).toThrow(
      /unit/,
    );
  });
});
