import type { DocumentMetadata, MetadataFilter } from '../spec/v1/shared-v1.js';
import { validateFilter } from './validate-filter.js';

/** A compiled filter: whether a document's metadata matches. */
export type FilterPredicate = (metadata: DocumentMetadata | undefined) => boolean;

type FieldValue = DocumentMetadata[string] | undefined;
type Scalar = string | number | boolean;

const matchAll: FilterPredicate = () => true;

function anyElement(value: FieldValue, test: (element: Scalar) => boolean): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some(test);
  return test(value);
}

function compileOperator(operator: string, operand: unknown): (value: FieldValue) => boolean {
  switch (operator) {
    case '$eq':
      return (value) => anyElement(value, (element) => element === operand);
    case '$ne':
      // A missing field is "not equal"; an array field must not contain the value.
      return (value) => !anyElement(value, (element) => element === operand);
    case '$gt':
      return (value) => typeof value === 'number' && value > (operand as number);
    case '$gte':
      return (value) => typeof value === 'number' && value >= (operand as number);
    case '$lt':
      return (value) => typeof value === 'number' && value < (operand as number);
    case '$lte':
      return (value) => typeof value === 'number' && value <= (operand as number);
    case '$in': {
      const values = new Set(operand as Scalar[]);
      return (value) => anyElement(value, (element) => values.has(element));
    }
    case '$nin': {
      const values = new Set(operand as Scalar[]);
      return (value) => !anyElement(value, (element) => values.has(element));
    }
    case '$exists':
      return operand === true ? (value) => value !== undefined : (value) => value === undefined;
    default:
      throw new Error(`Unreachable: operator ${operator} passed validation.`);
  }
}

function compileCondition(field: string, condition: unknown): FilterPredicate {
  const tests =
    typeof condition === 'object' && condition !== null
      ? Object.entries(condition).map(([operator, operand]) => compileOperator(operator, operand))
      : [compileOperator('$eq', condition)];
  return (metadata) => {
    // Own properties only: `constructor` or `toString` must not reach Object.prototype's.
    const value =
      metadata === undefined || !Object.hasOwn(metadata, field) ? undefined : metadata[field];
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

function compileClause(filter: MetadataFilter): FilterPredicate {
  const predicates: FilterPredicate[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      const parts = (value as MetadataFilter[]).map(compileClause);
      predicates.push((metadata) => parts.every((part) => part(metadata)));
    } else if (key === '$or') {
      const parts = (value as MetadataFilter[]).map(compileClause);
      predicates.push((metadata) => parts.some((part) => part(metadata)));
    } else {
      predicates.push(compileCondition(key, value));
    }
  }
  if (predicates.length === 1) return predicates[0] as FilterPredicate;
  return (metadata) => {
    for (const predicate of predicates) if (!predicate(metadata)) return false;
    return true;
  };
}

/**
 * Validates `filter` (see {@link validateFilter}) and compiles it into a predicate, so a
 * retriever checks thousands of documents without re-reading the filter. `undefined` compiles to
 * a predicate that matches everything.
 *
 * Semantics, as in Pinecone: a field holding an array matches `$eq` / `$in` when any element
 * does, and `$ne` / `$nin` only when no element does; a missing field matches `$ne`, `$nin` and
 * `$exists: false` and nothing else; comparisons never convert types (`'2020'` is not `2020`).
 *
 * @throws {InvalidFilterError} when the filter is malformed
 */
export function compileFilter(filter: MetadataFilter | undefined): FilterPredicate {
  if (filter === undefined) return matchAll;
  validateFilter(filter);
  return compileClause(filter);
}

/**
 * Whether a document's metadata matches a filter in Pinecone's language (see
 * {@link compileFilter} for the semantics; compile once when testing many documents).
 *
 * @example matchesFilter({ genre: ['loan', 'card'], year: 2021 }, { genre: 'loan', year: { $gte: 2020 } }) // true
 * @throws {InvalidFilterError} when the filter is malformed
 */
export function matchesFilter(
  metadata: DocumentMetadata | undefined,
  filter: MetadataFilter | undefined,
): boolean {
  return compileFilter(filter)(metadata);
}
