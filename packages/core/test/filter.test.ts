import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, InvalidFilterError } from '../src/errors/index.js';
import { compileFilter, matchesFilter, validateFilter } from '../src/filter/index.js';
import { filterCases, filterFixtureRecords } from '../src/testing/filter-cases.js';

describe('matchesFilter against the shared filter table', () => {
  for (const { name, filter, expectedIds } of filterCases) {
    test(name, () => {
      const matching = filterFixtureRecords
        .filter((record) => matchesFilter(record.metadata, filter))
        .map((record) => record.id)
        .sort();
      expect(matching).toEqual([...expectedIds].sort());
    });
  }

  test('no filter matches everything, including records without metadata', () => {
    const predicate = compileFilter(undefined);
    expect(filterFixtureRecords.map((record) => predicate(record.metadata))).toEqual(
      filterFixtureRecords.map(() => true),
    );
  });

  test('field names of Object.prototype members only match own metadata fields', () => {
    const metadata = { genre: 'loan' };
    expect(matchesFilter(metadata, { constructor: { $exists: true } })).toBe(false);
    expect(matchesFilter(metadata, { toString: { $exists: false } })).toBe(true);
    expect(matchesFilter(metadata, { hasOwnProperty: { $ne: 'x' } })).toBe(true);
    expect(matchesFilter({ constructor: 'x' }, { constructor: 'x' })).toBe(true);
    expect(matchesFilter(JSON.parse('{"__proto__": "p"}'), JSON.parse('{"__proto__": "p"}'))).toBe(
      true,
    );
  });

  test('the filter object is not modified', () => {
    const filter = { $or: [{ genre: { $in: ['card'] } }, { year: 2021 }] };
    const copy = structuredClone(filter);
    for (const record of filterFixtureRecords) matchesFilter(record.metadata, filter);
    expect(filter).toEqual(copy);
  });
});

describe('validateFilter rejects malformed filters with the path to the bad part', () => {
  const malformed: { name: string; filter: unknown; path: string; message: RegExp }[] = [
    { name: 'not an object', filter: 'genre', path: 'filter', message: /object/ },
    { name: 'an array', filter: [{ genre: 'a' }], path: 'filter', message: /object/ },
    { name: 'null', filter: null, path: 'filter', message: /object/ },
    { name: 'an empty filter', filter: {}, path: 'filter', message: /at least one condition/ },
    {
      name: 'an unknown field operator',
      filter: { year: { $between: [1, 2] } },
      path: 'filter.year.$between',
      message: /Unknown operator '\$between'/,
    },
    {
      name: 'an unknown top-level operator',
      filter: { $not: { genre: 'a' } },
      path: 'filter.$not',
      message: /Unknown operator '\$not'/,
    },
    {
      name: '$gt on a string',
      filter: { year: { $gt: '2020' } },
      path: 'filter.year.$gt',
      message: /finite number/,
    },
    {
      name: '$lte on NaN',
      filter: { year: { $lte: Number.NaN } },
      path: 'filter.year.$lte',
      message: /finite number/,
    },
    {
      name: '$eq on null',
      filter: { genre: { $eq: null } },
      path: 'filter.genre.$eq',
      message: /string, a finite number or a boolean/,
    },
    {
      name: '$eq on an array',
      filter: { genre: { $eq: ['a'] } },
      path: 'filter.genre.$eq',
      message: /not an array/,
    },
    {
      name: '$ne on an object',
      filter: { genre: { $ne: { a: 1 } } },
      path: 'filter.genre.$ne',
      message: /not an object/,
    },
    {
      name: '$in not an array',
      filter: { genre: { $in: 'a' } },
      path: 'filter.genre.$in',
      message: /array of strings or numbers/,
    },
    {
      name: '$in with a boolean',
      filter: { genre: { $in: ['a', true] } },
      path: 'filter.genre.$in[1]',
      message: /strings or finite numbers/,
    },
    {
      name: '$nin with an object',
      filter: { genre: { $nin: [{}] } },
      path: 'filter.genre.$nin[0]',
      message: /strings or finite numbers/,
    },
    {
      name: '$in over 10,000 values',
      filter: { id: { $in: Array.from({ length: 10_001 }, (_, index) => index) } },
      path: 'filter.id.$in',
      message: /at most 10000/,
    },
    {
      name: '$exists with a string',
      filter: { genre: { $exists: 'yes' } },
      path: 'filter.genre.$exists',
      message: /true or false/,
    },
    {
      name: 'an empty $and',
      filter: { $and: [] },
      path: 'filter.$and',
      message: /non-empty array/,
    },
    {
      name: '$or not an array',
      filter: { $or: { genre: 'a' } },
      path: 'filter.$or',
      message: /non-empty array/,
    },
    {
      name: 'an empty clause in $or',
      filter: { $or: [{ genre: 'a' }, {}] },
      path: 'filter.$or[1]',
      message: /at least one condition/,
    },
    {
      name: 'a bad operand deep inside',
      filter: { $and: [{ genre: 'a' }, { $or: [{ year: { $gte: 'x' } }] }] },
      path: 'filter.$and[1].$or[0].year.$gte',
      message: /finite number/,
    },
    {
      name: 'a bare array value',
      filter: { genre: ['a', 'b'] },
      path: 'filter.genre',
      message: /\$in/,
    },
    { name: 'a null value', filter: { genre: null }, path: 'filter.genre', message: /not null/ },
    {
      name: 'a nested object',
      filter: { address: { city: 'Hanoi' } },
      path: 'filter.address.city',
      message: /Nested objects/,
    },
    {
      name: 'an empty operator object',
      filter: { genre: {} },
      path: 'filter.genre',
      message: /at least one operator/,
    },
  ];

  for (const { name, filter, path, message } of malformed) {
    test(name, () => {
      let caught: unknown;
      try {
        validateFilter(filter);
      } catch (error) {
        caught = error;
      }
      expect(InvalidFilterError.isInstance(caught)).toBe(true);
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
      const error = caught as InvalidFilterError;
      expect(error.path).toBe(path);
      expect(error.argument).toBe(path);
      expect(error.name).toBe('InvalidFilterError');
      expect(error.message).toMatch(message);
      expect(() => matchesFilter({}, filter as never)).toThrow(InvalidFilterError);
    });
  }

  test('every case of the shared table is valid', () => {
    for (const { filter } of filterCases) expect(() => validateFilter(filter)).not.toThrow();
  });
});
