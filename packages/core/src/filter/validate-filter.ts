import { InvalidFilterError } from '../errors/invalid-filter-error.js';
import type { MetadataFilter } from '../spec/v1/shared-v1.js';

/**
 * The largest `$in` / `$nin` list Pinecone accepts; enforced here too, so a filter that works on
 * the embedded index keeps working when stage 1 moves to Pinecone.
 */
export const maxFilterListLength = 10_000;

/** The operators allowed on a field, e.g. `{ year: { $gte: 2020 } }`. */
export const fieldOperators = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
] as const;

/** The operators that combine clauses: `{ $and: [...] }`, `{ $or: [...] }`. */
export const logicalOperators = ['$and', '$or'] as const;

const fieldOperatorSet: ReadonlySet<string> = new Set(fieldOperators);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function validateOperator(operator: string, operand: unknown, path: string): void {
  switch (operator) {
    case '$eq':
    case '$ne':
      if (!isScalar(operand)) {
        throw new InvalidFilterError({
          path,
          message: `${operator} takes a string, a finite number or a boolean, not ${describe(operand)}.`,
        });
      }
      return;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      if (typeof operand !== 'number' || !Number.isFinite(operand)) {
        throw new InvalidFilterError({
          path,
          message: `${operator} takes a finite number, not ${describe(operand)}.`,
        });
      }
      return;
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) {
        throw new InvalidFilterError({
          path,
          message: `${operator} takes an array of strings or numbers, not ${describe(operand)}.`,
        });
      }
      if (operand.length > maxFilterListLength) {
        throw new InvalidFilterError({
          path,
          message: `${operator} takes at most ${maxFilterListLength} values, got ${operand.length}.`,
        });
      }
      operand.forEach((value: unknown, index) => {
        if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
          throw new InvalidFilterError({
            path: `${path}[${index}]`,
            message: `${operator} values must be strings or finite numbers, not ${describe(value)}.`,
          });
        }
      });
      return;
    }
    case '$exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidFilterError({
          path,
          message: `$exists takes true or false, not ${describe(operand)}.`,
        });
      }
      return;
    default:
      throw new InvalidFilterError({
        path,
        message: `Unknown operator '${operator}'. Field operators are ${fieldOperators.join(', ')}.`,
      });
  }
}

function validateCondition(condition: unknown, path: string): void {
  if (isScalar(condition)) return; // a bare value means $eq
  if (Array.isArray(condition)) {
    throw new InvalidFilterError({
      path,
      message:
        'A bare array is not a condition; use { $in: [...] } to match any of several values.',
    });
  }
  if (!isPlainObject(condition)) {
    throw new InvalidFilterError({
      path,
      message: `A condition is a string, a finite number, a boolean or an operator object, not ${describe(condition)}.`,
    });
  }
  const operators = Object.keys(condition);
  if (operators.length === 0) {
    throw new InvalidFilterError({
      path,
      message: 'An operator object needs at least one operator.',
    });
  }
  for (const operator of operators) {
    if (!operator.startsWith('$')) {
      throw new InvalidFilterError({
        path: `${path}.${operator}`,
        message: 'Nested objects are not supported: metadata is flat, and a field holds operators.',
      });
    }
    if (!fieldOperatorSet.has(operator)) {
      throw new InvalidFilterError({
        path: `${path}.${operator}`,
        message: `Unknown operator '${operator}'. Field operators are ${fieldOperators.join(', ')}.`,
      });
    }
    validateOperator(operator, condition[operator], `${path}.${operator}`);
  }
}

/**
 * How deeply `$and` / `$or` may nest. Real filters nest a few levels; a limit keeps a hostile or
 * generated filter from exhausting the stack (a RangeError from deep inside) here and in every
 * retriever that walks it.
 */
export const maxFilterDepth = 32;

function validateClause(filter: unknown, path: string, depth = 1): void {
  if (depth > maxFilterDepth) {
    throw new InvalidFilterError({
      path,
      message: `Filters may nest $and / $or at most ${maxFilterDepth} levels deep.`,
    });
  }
  if (!isPlainObject(filter)) {
    throw new InvalidFilterError({
      path,
      message: `A filter is an object, not ${describe(filter)}.`,
    });
  }
  const keys = Object.keys(filter);
  if (keys.length === 0) {
    throw new InvalidFilterError({ path, message: 'A filter needs at least one condition.' });
  }
  for (const key of keys) {
    const value = filter[key];
    const keyPath = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        throw new InvalidFilterError({
          path: keyPath,
          message: `${key} takes a non-empty array of filters, not ${Array.isArray(value) ? 'an empty array' : describe(value)}.`,
        });
      }
      value.forEach((clause: unknown, index) => {
        validateClause(clause, `${keyPath}[${index}]`, depth + 1);
      });
    } else if (key.startsWith('$')) {
      throw new InvalidFilterError({
        path: keyPath,
        message: `Unknown operator '${key}' at the top of a clause; only $and and $or combine clauses.`,
      });
    } else {
      validateCondition(value, keyPath);
    }
  }
}

/**
 * Checks that `filter` follows Pinecone's metadata filter language, throwing an
 * {@link InvalidFilterError} whose `path` points at the first bad part. Rules (Pinecone's):
 * - a filter is a non-empty object; `$and` / `$or` take a non-empty array of filters;
 * - a field takes a bare string, finite number or boolean (meaning `$eq`), or an object of one or
 *   more field operators (combined with AND);
 * - `$eq` / `$ne` take a string, number or boolean; `$gt $gte $lt $lte` a number; `$in` / `$nin`
 *   an array of at most 10,000 strings or numbers; `$exists` a boolean;
 * - unknown operators, bare arrays, `null` and nested objects are rejected;
 * - `$and` / `$or` nest at most {@link maxFilterDepth} levels (twostage's limit, not Pinecone's).
 *
 * @see https://docs.pinecone.io/guides/search/filter-by-metadata
 */
export function validateFilter(filter: unknown): asserts filter is MetadataFilter {
  validateClause(filter, 'filter');
}
