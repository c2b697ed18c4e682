import { InvalidArgumentError, InvalidFilterError } from '@twostage/core';
import { filterCases, filterFixtureRecords } from '@twostage/core/testing';
import { describe, expect, test } from 'vitest';
import { createBm25Retriever } from '../src/index.js';

const tinyCorpus = [
  { id: 'd1', text: 'the cat sat on the mat' },
  { id: 'd2', text: 'the dog sat' },
  { id: 'd3', text: 'cats and dogs' },
];

async function scores(query: string, corpus = tinyCorpus, options = {}) {
  const retriever = createBm25Retriever(options);
  await retriever.add(corpus);
  const { candidates } = await retriever.doRetrieve({ query, topK: 10 });
  return candidates.map(({ id, score }) => [id, score] as const);
}

/** Okapi BM25 written out term by term, independently of the implementation. */
function textbookBm25(query: string[], documents: string[][], k1 = 1.2, b = 0.75): number[] {
  const total = documents.length;
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / total;
  return documents.map((document) => {
    let score = 0;
    for (const term of query) {
      const n = documents.filter((other) => other.includes(term)).length;
      const frequency = document.filter((token) => token === term).length;
      if (n === 0 || frequency === 0) continue;
      const idf = Math.log(1 + (total - n + 0.5) / (n + 0.5));
      score +=
        (idf * frequency * (k1 + 1)) /
        (frequency + k1 * (1 - b + (b * document.length) / averageLength));
    }
    return score;
  });
}

describe('BM25 scores', () => {
  test('match hand-computed textbook BM25 (k1 = 1.2, b = 0.75)', async () => {
    // Worked by hand: N = 3, avgdl = 4; idf(cat) = ln(1 + 2.5/1.5), idf(sat) = ln(1 + 1.5/2.5);
    // d1 (|D| = 6): (idf(cat) + idf(sat)) · 2.2 / (1 + 1.65); d2 (|D| = 3): idf(sat) · 2.2 / 1.975.
    const result = await scores('cat sat');
    expect(result.map(([id]) => id)).toEqual(['d1', 'd2']);
    expect(result[0]?.[1]).toBeCloseTo(1.204465034, 8);
    expect(result[1]?.[1]).toBeCloseTo(0.523548347, 8);

    const common = await scores('the');
    expect(common.map(([id]) => id)).toEqual(['d1', 'd2']);
    expect(common[0]?.[1]).toBeCloseTo(0.566579717, 8);
    expect(common[1]?.[1]).toBeCloseTo(0.523548347, 8);

    const three = await scores('the mat dogs');
    expect(three).toHaveLength(3);
    expect(Object.fromEntries(three)).toEqual({
      d1: expect.closeTo(1.38085306, 7),
      d3: expect.closeTo(1.092569294, 7),
      d2: expect.closeTo(0.523548347, 7),
    });
  });

  test('match the textbook formula on a larger corpus with other parameters', async () => {
    const words = [
      'loan',
      'fee',
      'rate',
      'card',
      'bank',
      'early',
      'repayment',
      'interest',
      'savings',
      'term',
    ];
    const corpus = Array.from({ length: 40 }, (_, index) => ({
      id: `doc-${index}`,
      text: Array.from(
        { length: 3 + (index % 7) },
        (_, position) => words[(index * 7 + position * position) % words.length],
      ).join(' '),
    }));
    const tokens = corpus.map((document) => document.text.split(' '));
    for (const [k1, b] of [
      [1.2, 0.75],
      [2, 0.3],
      [0.5, 1],
    ] as const) {
      const retriever = createBm25Retriever({ k1, b });
      await retriever.add(corpus);
      const query = 'early fee fee savings';
      const expected = textbookBm25(query.split(' '), tokens, k1, b);
      const { candidates } = await retriever.doRetrieve({ query, topK: 40 });
      for (const candidate of candidates) {
        expect(candidate.score).toBeCloseTo(expected[Number(candidate.id.slice(4))] as number, 9);
      }
      expect(candidates.map((candidate) => candidate.id).sort()).toEqual(
        corpus
          .filter((_, index) => (expected[index] as number) > 0)
          .map((document) => document.id)
          .sort(),
      );
    }
  });

  test('a query with no known term returns nothing', async () => {
    expect(await scores('elephant')).toEqual([]);
    expect(await scores('   ')).toEqual([]);
  });

  test('topK bounds the result and ties go to the document added first', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([
      { id: 'b', text: 'same words here' },
      { id: 'a', text: 'same words here' },
      { id: 'c', text: 'same words here' },
    ]);
    const { candidates } = await retriever.doRetrieve({ query: 'words', topK: 2 });
    expect(candidates.map((candidate) => candidate.id)).toEqual(['b', 'a']);
  });
});

describe('BM25 documents by id', () => {
  test('add, get, size, update and delete keep scores equal to a fresh index', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(tinyCorpus);
    expect(retriever.size()).toBe(3);
    expect(retriever.get('d2')).toEqual({ id: 'd2', text: 'the dog sat' });
    await expect(retriever.add([{ id: 'd2', text: 'again' }])).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      retriever.add([
        { id: 'x', text: 'a' },
        { id: 'x', text: 'b' },
      ]),
    ).rejects.toThrow(/twice/);

    await retriever.upsert([{ id: 'd2', text: 'the dog sat on a cat', metadata: { kind: 'pet' } }]);
    expect(retriever.get('d2')).toEqual({
      id: 'd2',
      text: 'the dog sat on a cat',
      metadata: { kind: 'pet' },
    });
    expect(retriever.size()).toBe(3);
    expect(await retriever.delete(['d3', 'missing'])).toBe(1);
    expect(retriever.get('d3')).toBeUndefined();
    expect(retriever.size()).toBe(2);

    const fresh = await scores('cat sat dogs', [
      { id: 'd1', text: 'the cat sat on the mat' },
      { id: 'd2', text: 'the dog sat on a cat' },
    ]);
    const { candidates } = await retriever.doRetrieve({ query: 'cat sat dogs', topK: 10 });
    expect(candidates.map(({ id, score }) => [id, score])).toEqual(fresh);
  });

  test('many deletes trigger compaction without changing results', async () => {
    const retriever = createBm25Retriever();
    const corpus = Array.from({ length: 3000 }, (_, index) => ({
      id: `d${index}`,
      text: `word${index % 50} common ${index % 3 === 0 ? 'rare' : 'other'}`,
    }));
    await retriever.add(corpus);
    await retriever.delete(
      corpus.filter((_, index) => index % 3 !== 0).map((document) => document.id),
    );
    const kept = corpus.filter((_, index) => index % 3 === 0);
    expect(retriever.size()).toBe(kept.length);
    const reference = createBm25Retriever();
    await reference.add(kept);
    const query = 'rare word3 common';
    expect((await retriever.doRetrieve({ query, topK: 20 })).candidates).toEqual(
      (await reference.doRetrieve({ query, topK: 20 })).candidates,
    );
  });

  test('stored metadata is a copy: changing the caller object later changes nothing', async () => {
    const retriever = createBm25Retriever();
    const metadata = { tags: ['a'], year: 2020 };
    await retriever.add([{ id: 'x', text: 'hello', metadata }]);
    metadata.tags.push('b');
    metadata.year = 1999;
    expect(retriever.get('x')?.metadata).toEqual({ tags: ['a'], year: 2020 });
  });

  test('invalid documents are rejected with the path of the bad field', async () => {
    const retriever = createBm25Retriever();
    await expect(retriever.add([{ id: '', text: 'x' }])).rejects.toMatchObject({
      argument: 'documents[0].id',
    });
    await expect(retriever.add([{ id: 'a', text: 5 as never }])).rejects.toMatchObject({
      argument: 'documents[0].text',
    });
    await expect(
      retriever.add([{ id: 'a', text: 'x', metadata: { nested: { a: 1 } as never } }]),
    ).rejects.toMatchObject({ argument: 'documents[0].metadata.nested' });
    expect(retriever.size()).toBe(0);
  });
});

describe('BM25 filters and namespaces', () => {
  test('each case of the shared filter table selects exactly its ids', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(
      filterFixtureRecords.map((record) => ({ ...record, text: `${record.text} shared` })),
    );
    for (const { name, filter, expectedIds } of filterCases) {
      const { candidates } = await retriever.doRetrieve({ query: 'shared', topK: 10, filter });
      expect(candidates.map((candidate) => candidate.id).sort(), name).toEqual(
        [...expectedIds].sort(),
      );
    }
  });

  test('a malformed filter rejects with InvalidFilterError', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(tinyCorpus);
    await expect(
      retriever.doRetrieve({ query: 'cat', topK: 3, filter: { year: { $gt: 'x' } } }),
    ).rejects.toThrow(InvalidFilterError);
  });

  test('namespaces are separate indexes with their own statistics', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(tinyCorpus, { namespace: 'a' });
    await retriever.add([{ id: 'd1', text: 'a cat elsewhere' }], { namespace: 'b' });
    expect(retriever.size()).toBe(4);
    expect(retriever.size({ namespace: 'a' })).toBe(3);
    expect(retriever.namespaces().sort()).toEqual(['a', 'b']);
    const inA = await retriever.doRetrieve({ query: 'cat sat', topK: 5, namespace: 'a' });
    expect(inA.candidates[0]?.score).toBeCloseTo(1.204465034, 8);
    const inB = await retriever.doRetrieve({ query: 'cat', topK: 5, namespace: 'b' });
    expect(inB.candidates.map((candidate) => candidate.text)).toEqual(['a cat elsewhere']);
    expect((await retriever.doRetrieve({ query: 'cat', topK: 5 })).candidates).toEqual([]);
  });
});

describe('BM25 text analysis', () => {
  const vietnamese = [
    { id: 'savings', text: 'Lãi suất tiết kiệm kỳ hạn 12 tháng là 5,2% một năm.' },
    { id: 'road', text: 'Đường đến chi nhánh Đà Nẵng đang sửa chữa.' },
    { id: 'sell', text: 'Ngân hàng bán ngoại tệ cho bạn tại quầy.' },
  ];

  test('without folding, a query typed without diacritics finds nothing; with folding it does', async () => {
    const kept = createBm25Retriever();
    await kept.add(vietnamese);
    expect((await kept.doRetrieve({ query: 'lai suat tiet kiem', topK: 3 })).candidates).toEqual(
      [],
    );
    expect(
      (await kept.doRetrieve({ query: 'lãi suất tiết kiệm', topK: 3 })).candidates[0]?.id,
    ).toBe('savings');

    const folded = createBm25Retriever({ analyzer: { foldDiacritics: true } });
    await folded.add(vietnamese);
    expect(
      (await folded.doRetrieve({ query: 'lai suat tiet kiem', topK: 3 })).candidates[0]?.id,
    ).toBe('savings');
    expect(
      (await folded.doRetrieve({ query: 'duong den da nang', topK: 3 })).candidates[0]?.id,
    ).toBe('road');
    expect((await folded.doRetrieve({ query: 'ĐƯỜNG', topK: 3 })).candidates[0]?.id).toBe('road');
  });

  test('diacritics kept: words that differ only by their marks stay apart', async () => {
    const kept = createBm25Retriever();
    await kept.add(vietnamese);
    // "bán" (sell) is in 'sell'; "bạn" (friend) too, but "ban" alone is in no document.
    expect((await kept.doRetrieve({ query: 'ban', topK: 3 })).candidates).toEqual([]);
  });

  test('a query in NFD form scores exactly like the same query in NFC form', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(
      vietnamese.map((document) => ({ ...document, text: document.text.normalize('NFD') })),
    );
    const query = 'lãi suất tiết kiệm tháng';
    const nfc = await retriever.doRetrieve({ query: query.normalize('NFC'), topK: 3 });
    const nfd = await retriever.doRetrieve({ query: query.normalize('NFD'), topK: 3 });
    expect(nfc.candidates[0]?.id).toBe('savings');
    expect(nfd.candidates).toEqual(nfc.candidates);
  });

  test('English stop words can be dropped from documents and queries', async () => {
    const retriever = createBm25Retriever({ analyzer: { stopWords: 'english' } });
    await retriever.add([
      { id: 'a', text: 'The annual fee of the card' },
      { id: 'b', text: 'The the the the of of' },
    ]);
    expect((await retriever.doRetrieve({ query: 'the of', topK: 3 })).candidates).toEqual([]);
    expect(
      (await retriever.doRetrieve({ query: 'the fee', topK: 3 })).candidates.map(
        (candidate) => candidate.id,
      ),
    ).toEqual(['a']);
  });
});
