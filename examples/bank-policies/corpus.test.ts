import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import {
  type BeirSetFiles,
  checkBeirSet,
  hasVietnameseDiacritics,
  qrelsHeader,
  queryKinds,
} from './check-beir-set.js';

const read = (name: string) => readFile(new URL(name, import.meta.url), 'utf8');
const files: BeirSetFiles = {
  corpus: await read('./corpus.jsonl'),
  queries: await read('./queries.jsonl'),
  qrels: await read('./qrels.tsv'),
};
const questions = (await read('./questions.txt')).split('\n').filter((line) => line.trim() !== '');
const { corpus, queries, judgements, problems } = checkBeirSet(files);
const passageById = new Map(corpus.map((passage) => [passage._id, passage]));

/** Non-blank lines of a file, to compare with what the checker kept. */
const countLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '').length;

/** Numbers as written in either language: '3,300' (en) and '3.300' (vi) both give '3300'. */
const numbersIn = (text: string) =>
  (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((number) => number.replace(/[.,]/g, '')).sort();

describe('the bank-policies set', () => {
  test('has no integrity problem and keeps every line', () => {
    expect(problems).toEqual([]);
    expect(corpus.length).toBe(countLines(files.corpus));
    expect(queries.length).toBe(countLines(files.queries));
    expect(judgements.length).toBe(countLines(files.qrels) - 1);
  });

  test('is within the sizes the README promises', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    expect(corpus.length).toBeLessThanOrEqual(100);
    expect(queries.length).toBeGreaterThanOrEqual(36);
    expect(queries.length).toBeLessThanOrEqual(45);
    expect(judgements.length).toBeGreaterThanOrEqual(80);
    expect(judgements.length).toBeLessThanOrEqual(140);
    const english = corpus.filter((passage) => passage.metadata.lang === 'en').length;
    // Roughly 60% English and 40% Vietnamese.
    expect(english / corpus.length).toBeGreaterThan(0.5);
    expect(english / corpus.length).toBeLessThan(0.7);
  });

  test('passages are short: 150–600 characters, one to four sentences', () => {
    const outOfShape = corpus.filter(({ text }) => {
      const sentences = text.match(/[.!?](?=\s|$)/g)?.length ?? 0;
      return text.length < 150 || text.length > 600 || sentences < 1 || sentences > 4;
    });
    expect(outOfShape.map((passage) => passage._id)).toEqual([]);
  });

  test('covers every topic of the brief', () => {
    const topics = new Set(corpus.map((passage) => passage.metadata.topic));
    for (const topic of [
      'home-loan',
      'car-loan',
      'personal-loan',
      'overdraft',
      'early-termination',
      'fees',
      'margin-lending',
      'kyc',
      'cards',
    ]) {
      expect(topics, topic).toContain(topic);
    }
  });

  test('ids are readable and name the language of the passage', () => {
    for (const { _id: id, metadata } of corpus) {
      expect(id).toMatch(new RegExp(`^[a-z]+(?:-[a-z]+)*-${metadata.lang}-\\d{2}$`));
    }
    expect(queries.map((query) => query._id)).toEqual(
      queries.map((_, index) => `q${String(index + 1).padStart(2, '0')}`),
    );
  });

  test('translations (same id but the language) share the topic and every number', () => {
    let pairs = 0;
    for (const english of corpus.filter((passage) => passage.metadata.lang === 'en')) {
      const vietnamese = passageById.get(english._id.replace(/-en-(\d{2})$/, '-vi-$1'));
      if (vietnamese === undefined) continue;
      pairs += 1;
      expect(vietnamese.metadata.topic, english._id).toBe(english.metadata.topic);
      expect(numbersIn(vietnamese.text), english._id).toEqual(numbersIn(english.text));
    }
    // Some passages are translations of each other, the rest are facts in one language only.
    expect(pairs).toBeGreaterThanOrEqual(15);
    expect(pairs * 2).toBeLessThan(corpus.length);
  });

  test('every kind of query is there, at least five times', () => {
    for (const kind of queryKinds) {
      expect(
        queries.filter((query) => query.metadata.kind === kind).length,
        kind,
      ).toBeGreaterThanOrEqual(5);
    }
    expect(
      queries
        .filter((query) => query.metadata.kind === 'vietnamese')
        .map((query) => query.metadata.lang),
    ).not.toContain('en');
  });

  test('answers are in the query language, except for cross-language queries', () => {
    for (const query of queries) {
      const answerLanguages = new Set(
        judgements
          .filter((judgement) => judgement.queryId === query._id && judgement.score === 2)
          .map((judgement) => passageById.get(judgement.corpusId)?.metadata.lang),
      );
      const other = query.metadata.lang === 'en' ? 'vi' : 'en';
      expect([...answerLanguages], query._id).toEqual([
        query.metadata.kind === 'cross-language' ? other : query.metadata.lang,
      ]);
    }
  });

  test('grades are both used: 2 answers the query, 1 is partly relevant', () => {
    expect(new Set(judgements.map((judgement) => judgement.score))).toEqual(new Set([1, 2]));
  });

  test('the sample questions are queries of the set, in both languages, with the hard case', () => {
    expect(questions.length).toBeGreaterThanOrEqual(6);
    expect(questions.length).toBeLessThanOrEqual(8);
    const queryByText = new Map(queries.map((query) => [query.text, query]));
    for (const question of questions) expect(queryByText.has(question), question).toBe(true);
    const sampled = questions.map((question) => queryByText.get(question));
    expect(new Set(sampled.map((query) => query?.metadata.lang))).toEqual(new Set(['en', 'vi']));
    expect(questions).toContain('Conditions for early loan termination without penalty');
  });
});

describe('checkBeirSet', () => {
  const passage = (id: string, lang: string, text: string) =>
    JSON.stringify({ _id: id, title: '', text, metadata: { lang, topic: 'fees' } });

  test('reports each bad line of a tiny broken set by file and line', () => {
    const broken: BeirSetFiles = {
      corpus: [
        passage('fees-en-01', 'en', 'Transfers in the app are free.'),
        passage('fees-vi-01', 'vi', 'Chuyen tien tren ung dung mien phi.'),
        passage('fees-en-01', 'en', 'A repeated id.'),
        passage('fees-fr-01', 'fr', 'Les virements sont gratuits.'),
        '{"_id": "cut-off',
      ].join('\n'),
      queries: [
        JSON.stringify({
          _id: 'q01',
          text: 'transfer fee',
          metadata: { lang: 'en', kind: 'plain' },
        }),
        JSON.stringify({ _id: 'q02', text: 'phí', metadata: { lang: 'vi', kind: 'tricky' } }),
        JSON.stringify({ _id: 'q03', text: 'ATM fee', metadata: { lang: 'en', kind: 'plain' } }),
      ].join('\n'),
      qrels: [
        qrelsHeader,
        'q01\tfees-en-01\t2',
        'q01\tfees-xx-99\t2',
        'q09\tfees-en-01\t1',
        'q03\tfees-vi-01\t3',
        'q01\tfees-en-01\t1',
        'q03 fees-en-01 1',
      ].join('\n'),
    };
    expect(checkBeirSet(broken).problems).toEqual([
      { file: 'corpus', line: 5, message: 'is not valid JSON' },
      {
        file: 'corpus',
        line: 2,
        message: "'fees-vi-01' is marked vi but has no Vietnamese diacritics",
      },
      { file: 'corpus', line: 3, message: "repeats the _id 'fees-en-01' of line 1" },
      { file: 'corpus', line: 4, message: "'fees-fr-01' has metadata.lang other than en or vi" },
      {
        file: 'queries',
        line: 2,
        message:
          "'q02' has metadata.kind other than plain, negation, synonym, hard-penalty, vietnamese, cross-language",
      },
      {
        file: 'qrels',
        line: 3,
        message: "names the corpus-id 'fees-xx-99', which corpus.jsonl does not have",
      },
      {
        file: 'qrels',
        line: 4,
        message: "names the query-id 'q09', which queries.jsonl does not have",
      },
      { file: 'qrels', line: 5, message: "has the score '3', expected 1 or 2" },
      { file: 'qrels', line: 6, message: 'judges q01 / fees-en-01 again (first on line 2)' },
      { file: 'qrels', line: 7, message: 'has 1 tab-separated fields, expected 3' },
      { file: 'queries', line: 3, message: "'q03' has no passage graded 2 in qrels" },
    ]);
  });

  test('a qrels file without the BEIR header is reported at its first line', () => {
    const result = checkBeirSet({
      corpus: passage('fees-en-01', 'en', 'Transfers in the app are free.'),
      queries: JSON.stringify({ _id: 'q01', text: 'fee', metadata: { lang: 'en', kind: 'plain' } }),
      qrels: 'q01\tfees-en-01\t2\nq01\tfees-en-01\t2',
    });
    expect(result.problems).toEqual([
      {
        file: 'qrels',
        line: 1,
        message: "must start with the header 'query-id\\tcorpus-id\\tscore'",
      },
    ]);
    expect(result.judgements).toEqual([{ queryId: 'q01', corpusId: 'fees-en-01', score: 2 }]);
  });

  test('English text with Vietnamese letters is reported as mislabelled', () => {
    const result = checkBeirSet({
      corpus: passage('fees-en-01', 'en', 'Phí chuyển tiền trong nước được miễn phí.'),
      queries: JSON.stringify({ _id: 'q01', text: 'fee', metadata: { lang: 'en', kind: 'plain' } }),
      qrels: `${qrelsHeader}\nq01\tfees-en-01\t2`,
    });
    expect(result.problems).toEqual([
      {
        file: 'corpus',
        line: 1,
        message: "'fees-en-01' is marked en but contains Vietnamese letters",
      },
    ]);
  });
});

describe('hasVietnameseDiacritics', () => {
  test('sees Vietnamese letters whether the text is composed (NFC) or decomposed (NFD)', () => {
    expect(hasVietnameseDiacritics('Phí rút tiền')).toBe(true);
    expect(hasVietnameseDiacritics('Phí rút tiền'.normalize('NFD'))).toBe(true);
    expect(hasVietnameseDiacritics('đ')).toBe(true);
    expect(hasVietnameseDiacritics('Phi rut tien')).toBe(false);
  });
});
