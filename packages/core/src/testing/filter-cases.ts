import type { DocumentMetadata, MetadataFilter } from '../spec/v1/shared-v1.js';

/** A record of the filter fixture: an id and its metadata (in Pinecone's value types). */
export type FilterFixtureRecord = { id: string; text: string; metadata?: DocumentMetadata };

/** One filter case: the filter and the ids (sorted) of {@link filterFixtureRecords} it matches. */
export type FilterCase = {
  /** What the case checks, for the test name. */
  name: string;
  filter: MetadataFilter;
  /** The matching ids, sorted ascending. */
  expectedIds: readonly string[];
};

/**
 * Six records covering every value type Pinecone stores (string, number, boolean, list of
 * strings) plus a record without metadata, so each operator meets a missing field.
 */
export const filterFixtureRecords: readonly FilterFixtureRecord[] = [
  {
    id: 'r1',
    text: 'Savings account interest rates for 2021',
    metadata: { genre: 'savings', year: 2021, rating: 4.5, active: true, tags: ['rate', 'en'] },
  },
  {
    id: 'r2',
    text: 'Lãi suất tiết kiệm năm 2022',
    metadata: { genre: 'savings', year: 2022, rating: 3, active: false, tags: ['rate', 'vi'] },
  },
  {
    id: 'r3',
    text: 'Credit card annual fee schedule',
    metadata: { genre: 'card', year: 2019, rating: 5, active: true, tags: ['fee'] },
  },
  {
    id: 'r4',
    text: 'Home loan early repayment terms',
    metadata: { genre: 'loan', year: 2023, active: true, tags: [] },
  },
  {
    id: 'r5',
    text: 'Branch opening hours',
    metadata: { genre: 'info', year: '2020', rating: 0 },
  },
  { id: 'r6', text: 'A record with no metadata at all' },
];

/**
 * Filter semantics, case by case, over {@link filterFixtureRecords}: the table every backend
 * (the embedded retrievers, the Pinecone emulator) checks itself against. Decisions where
 * Pinecone's documentation is silent: a missing field matches `$ne`, `$nin` and
 * `$exists: false` only; `$ne` / `$nin` on an array field match only when no element does;
 * comparisons never convert types (the string `'2020'` is not the number `2020`).
 */
export const filterCases: readonly FilterCase[] = [
  { name: 'bare string means $eq', filter: { genre: 'savings' }, expectedIds: ['r1', 'r2'] },
  { name: 'bare number means $eq', filter: { year: 2019 }, expectedIds: ['r3'] },
  { name: 'bare boolean means $eq', filter: { active: false }, expectedIds: ['r2'] },
  { name: '$eq on a string', filter: { genre: { $eq: 'card' } }, expectedIds: ['r3'] },
  { name: '$eq does not convert types', filter: { year: { $eq: 2020 } }, expectedIds: [] },
  {
    name: '$eq on a string that looks like a number',
    filter: { year: '2020' },
    expectedIds: ['r5'],
  },
  { name: '$eq on a boolean', filter: { active: { $eq: true } }, expectedIds: ['r1', 'r3', 'r4'] },
  {
    name: '$eq on an array field matches any element',
    filter: { tags: 'rate' },
    expectedIds: ['r1', 'r2'],
  },
  { name: '$eq with no match', filter: { genre: 'mortgage' }, expectedIds: [] },
  {
    name: '$ne matches missing fields and other values',
    filter: { genre: { $ne: 'savings' } },
    expectedIds: ['r3', 'r4', 'r5', 'r6'],
  },
  {
    name: '$ne on an array field: no element may equal',
    filter: { tags: { $ne: 'rate' } },
    expectedIds: ['r3', 'r4', 'r5', 'r6'],
  },
  { name: '$ne on a boolean', filter: { active: { $ne: true } }, expectedIds: ['r2', 'r5', 'r6'] },
  { name: '$gt on numbers only', filter: { year: { $gt: 2020 } }, expectedIds: ['r1', 'r2', 'r4'] },
  { name: '$gte is inclusive', filter: { year: { $gte: 2022 } }, expectedIds: ['r2', 'r4'] },
  { name: '$lt on numbers only', filter: { year: { $lt: 2021 } }, expectedIds: ['r3'] },
  { name: '$lte is inclusive', filter: { rating: { $lte: 3 } }, expectedIds: ['r2', 'r5'] },
  {
    name: '$gt on a fractional value',
    filter: { rating: { $gt: 4.4 } },
    expectedIds: ['r1', 'r3'],
  },
  {
    name: 'a range is two operators on one field',
    filter: { year: { $gte: 2020, $lt: 2023 } },
    expectedIds: ['r1', 'r2'],
  },
  { name: '$gt on an array field never matches', filter: { tags: { $gt: 0 } }, expectedIds: [] },
  {
    name: '$in on strings',
    filter: { genre: { $in: ['card', 'loan'] } },
    expectedIds: ['r3', 'r4'],
  },
  {
    name: '$in on numbers',
    filter: { year: { $in: [2019, 2023, 1999] } },
    expectedIds: ['r3', 'r4'],
  },
  {
    name: '$in on an array field matches any element',
    filter: { tags: { $in: ['fee', 'vi'] } },
    expectedIds: ['r2', 'r3'],
  },
  {
    name: '$in with an empty list matches nothing',
    filter: { genre: { $in: [] } },
    expectedIds: [],
  },
  {
    name: '$nin matches missing fields and other values',
    filter: { genre: { $nin: ['savings', 'card'] } },
    expectedIds: ['r4', 'r5', 'r6'],
  },
  {
    name: '$nin on an array field: no element may be listed',
    filter: { tags: { $nin: ['en', 'fee'] } },
    expectedIds: ['r2', 'r4', 'r5', 'r6'],
  },
  {
    name: '$nin with an empty list matches everything',
    filter: { genre: { $nin: [] } },
    expectedIds: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
  },
  {
    name: '$exists true',
    filter: { rating: { $exists: true } },
    expectedIds: ['r1', 'r2', 'r3', 'r5'],
  },
  { name: '$exists false', filter: { rating: { $exists: false } }, expectedIds: ['r4', 'r6'] },
  {
    name: '$exists true on an empty array field',
    filter: { tags: { $exists: true } },
    expectedIds: ['r1', 'r2', 'r3', 'r4'],
  },
  {
    name: 'top-level fields combine with AND',
    filter: { genre: 'savings', active: true },
    expectedIds: ['r1'],
  },
  {
    name: '$and of two clauses',
    filter: { $and: [{ genre: 'savings' }, { year: { $gte: 2022 } }] },
    expectedIds: ['r2'],
  },
  {
    name: '$and on one array field needs both elements',
    filter: { $and: [{ tags: 'rate' }, { tags: 'vi' }] },
    expectedIds: ['r2'],
  },
  {
    name: '$and on one array field with an absent element',
    filter: { $and: [{ tags: 'rate' }, { tags: 'fee' }] },
    expectedIds: [],
  },
  {
    name: '$or of two clauses',
    filter: { $or: [{ genre: 'loan' }, { rating: { $gte: 5 } }] },
    expectedIds: ['r3', 'r4'],
  },
  {
    name: '$or nested in $and',
    filter: { $and: [{ active: true }, { $or: [{ year: 2019 }, { tags: 'en' }] }] },
    expectedIds: ['r1', 'r3'],
  },
  {
    name: '$or beside a field condition',
    filter: { active: true, $or: [{ genre: 'loan' }, { genre: 'card' }] },
    expectedIds: ['r3', 'r4'],
  },
  {
    name: '$in never converts types',
    filter: { year: { $in: ['2020', 2019] } },
    expectedIds: ['r3', 'r5'],
  },
];
