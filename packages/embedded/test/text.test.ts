import { describe, expect, test } from 'vitest';
import {
  createTextAnalyzer,
  englishStopWords,
  normalizeText,
  tokenize,
} from '../src/text/index.js';

const vietnamese = 'Lãi suất tiết kiệm kỳ hạn 12 tháng tại Đà Nẵng';

describe('normalizeText', () => {
  test('NFC and NFD input normalise to the same string', () => {
    const nfd = vietnamese.normalize('NFD');
    expect(nfd).not.toBe(vietnamese);
    expect(normalizeText(nfd)).toBe(normalizeText(vietnamese));
    expect(normalizeText(nfd)).toBe('lãi suất tiết kiệm kỳ hạn 12 tháng tại đà nẵng');
  });

  test('case folding is Unicode-aware and can be turned off', () => {
    expect(normalizeText('ĐƯỜNG Straße ÉCOLE')).toBe('đường straße école');
    expect(normalizeText('ĐƯỜNG', { caseFold: false })).toBe('ĐƯỜNG');
  });

  test('diacritics folding removes marks and folds stroked letters, đ/Đ included', () => {
    expect(normalizeText(vietnamese, { foldDiacritics: true })).toBe(
      'lai suat tiet kiem ky han 12 thang tai da nang',
    );
    expect(normalizeText('Đường đi', { foldDiacritics: true, caseFold: false })).toBe('Duong di');
    expect(normalizeText('Crème brûlée, Øresund, Łódź, Straße', { foldDiacritics: true })).toBe(
      'creme brulee, oresund, lodz, strasse',
    );
    expect(normalizeText(vietnamese.normalize('NFD'), { foldDiacritics: true })).toBe(
      normalizeText(vietnamese, { foldDiacritics: true }),
    );
  });
});

describe('tokenize', () => {
  test('tokens are runs of letters, marks and digits in any script', () => {
    expect(tokenize('iPhone-15 costs $999.99; 東京 «quoted» naïve')).toEqual([
      'iphone',
      '15',
      'costs',
      '999',
      '99',
      '東京',
      'quoted',
      'naïve',
    ]);
    expect(tokenize(vietnamese)).toEqual([
      'lãi',
      'suất',
      'tiết',
      'kiệm',
      'kỳ',
      'hạn',
      '12',
      'tháng',
      'tại',
      'đà',
      'nẵng',
    ]);
  });

  test('NFD input gives the same tokens as NFC input', () => {
    expect(tokenize(vietnamese.normalize('NFD'))).toEqual(tokenize(vietnamese));
  });

  test('English stop words are optional', () => {
    const text = 'The fee is waived for the first year';
    expect(tokenize(text)).toEqual(['the', 'fee', 'is', 'waived', 'for', 'the', 'first', 'year']);
    expect(tokenize(text, { stopWords: 'english' })).toEqual(['fee', 'waived', 'first', 'year']);
    expect(englishStopWords.has('not')).toBe(false);
  });

  test('custom stop words are normalised like the text', () => {
    const analyze = createTextAnalyzer({ stopWords: ['TẠI', 'Của'], foldDiacritics: true });
    expect(analyze('Chi nhánh tại Hà Nội của ngân hàng')).toEqual([
      'chi',
      'nhanh',
      'ha',
      'noi',
      'ngan',
      'hang',
    ]);
  });

  test('minTokenLength drops short tokens', () => {
    expect(tokenize('a bc def 1 22', { minTokenLength: 2 })).toEqual(['bc', 'def', '22']);
  });
});
