import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { planTextWindows } from '../../src/long-documents/plan-text-windows.js';
import { resolveWindowOverlap } from '../../src/long-documents/resolve-window-overlap.js';
import { hasLoneSurrogate } from '../../src/util/well-formed-text.js';

/** One token per word: what a word-level tokenizer would count. */
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;

/** `w0 w1 … w(n-1)`. */
const numbered = (count: number) =>
  Array.from({ length: count }, (_, index) => `w${index}`).join(' ');

const wordsOf = (text: string, spans: { start: number; end: number }[]) =>
  spans.map(({ start, end }) => text.slice(start, end).split(' '));

describe('planTextWindows', () => {
  test('a text that fits is one window: the whole text', () => {
    const text = ' w0 w1 w2 ';
    expect(planTextWindows(text, { windowTokens: 3, overlapTokens: 1, measure: words })).toEqual([
      { start: 0, end: text.length },
    ]);
  });

  test('windows hold whole words, at most the window, and neighbours share the overlap', () => {
    const text = numbered(10);
    const spans = planTextWindows(text, { windowTokens: 4, overlapTokens: 1, measure: words });
    expect(wordsOf(text, spans)).toEqual([
      ['w0', 'w1', 'w2', 'w3'],
      ['w3', 'w4', 'w5', 'w6'],
      ['w6', 'w7', 'w8', 'w9'],
    ]);
  });

  test('no overlap: windows follow each other and every word is in exactly one', () => {
    const text = numbered(9);
    const spans = planTextWindows(text, { windowTokens: 4, overlapTokens: 0, measure: words });
    expect(wordsOf(text, spans)).toEqual([
      ['w0', 'w1', 'w2', 'w3'],
      ['w4', 'w5', 'w6', 'w7'],
      ['w8'],
    ]);
  });

  test('a window is measured whole and shrunk when its words measure less alone', () => {
    // By characters, a word alone misses the spaces a window holds: 10 words of 2 characters
    // measure 20 alone but 29 together, so a 20-character window holds 7 words (20 characters).
    const text = numbered(10);
    const spans = planTextWindows(text, {
      windowTokens: 20,
      overlapTokens: 0,
      measure: (value) => value.length,
    });
    for (const { start, end } of spans) expect(end - start).toBeLessThanOrEqual(20);
    expect(wordsOf(text, spans)).toEqual([
      ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6'],
      ['w7', 'w8', 'w9'],
    ]);
  });

  test('a word longer than the window is cut into parts that fit, never inside a surrogate pair', () => {
    const text = `ab ${'🏦'.repeat(6)} cd`;
    const spans = planTextWindows(text, {
      windowTokens: 4,
      overlapTokens: 0,
      measure: (value) => value.length,
    });
    for (const { start, end } of spans) {
      const passage = text.slice(start, end);
      expect(passage.length).toBeLessThanOrEqual(4);
      expect(hasLoneSurrogate(passage)).toBe(false);
    }
    expect(spans.map(({ start, end }) => text.slice(start, end)).join('')).toBe(
      text.replaceAll(' ', ''),
    );
  });

  test('a window that would end where the previous one did is skipped, so ends always advance', () => {
    // Costs 3, 3, 10 with a 10-token window and a 5-token overlap: stepping back over `b` would
    // give a window `b` alone, inside the first.
    const cost: Record<string, number> = { a: 3, b: 3, c: 10 };
    const measure = (value: string) =>
      value
        .split(' ')
        .filter((word) => word !== '')
        .reduce((sum, word) => sum + (cost[word] ?? 0), 0);
    const text = 'a b c';
    const spans = planTextWindows(text, { windowTokens: 10, overlapTokens: 5, measure });
    expect(spans.map(({ start, end }) => text.slice(start, end))).toEqual(['a b', 'c']);
  });

  test('a blank text longer than the window is one window (nothing to cut between)', () => {
    const text = ' '.repeat(50);
    expect(
      planTextWindows(text, {
        windowTokens: 4,
        overlapTokens: 0,
        measure: (value) => value.length,
      }),
    ).toEqual([{ start: 0, end: 50 }]);
  });
});

describe('resolveWindowOverlap', () => {
  test('defaults to a quarter of the window, at most 32 tokens', () => {
    expect(resolveWindowOverlap(undefined, 20)).toBe(5);
    expect(resolveWindowOverlap(undefined, 510)).toBe(32);
    expect(resolveWindowOverlap(undefined, 3)).toBe(0);
  });

  test('keeps an overlap below the window and refuses one that is not, naming the option', () => {
    expect(resolveWindowOverlap(7, 8)).toBe(7);
    let caught: unknown;
    try {
      resolveWindowOverlap(8, 8);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argument).toBe('longDocuments.overlap');
  });
});
