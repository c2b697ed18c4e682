import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, validateMetadata } from '../src/index.js';

describe('validateMetadata', () => {
  test('accepts the value types Pinecone stores', () => {
    expect(() =>
      validateMetadata({ topic: 'loans', year: 2025, active: true, tags: ['a', 'b'] }, 'metadata'),
    ).not.toThrow();
  });

  test.each([
    ['a nested object', { nested: { a: 1 } }, 'metadata.nested'],
    ['an array of numbers', { ids: [1, 2] }, 'metadata.ids'],
    ['NaN', { score: Number.NaN }, 'metadata.score'],
    ['null', { missing: null }, 'metadata.missing'],
    ['a $-prefixed name', { $eq: 'x' }, 'metadata.$eq'],
  ])('refuses %s, naming the field', (_name, metadata, argument) => {
    const attempt = () => validateMetadata(metadata, 'metadata');
    expect(attempt).toThrow(InvalidArgumentError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  test('refuses a non-object', () => {
    expect(() => validateMetadata(['x'], 'documents[0].metadata')).toThrow(
      /documents\[0\]\.metadata/,
    );
  });
});
