import { invalidRequest, ServerError } from './server-error.js';

/** A JSON body as an object of fields. */
export type Fields = Record<string, unknown>;

/**
 * The body as an object.
 * @throws ServerError `invalid` for an array, a scalar or null
 */
export function objectBody(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('the body must be a JSON object');
  }
  return body as Fields;
}

/**
 * Refuses fields the route does not know, so a misspelt `top_n` is not silently ignored.
 * @throws ServerError `invalid` naming the field
 */
export function checkKnownFields(body: Fields, known: readonly string[]): void {
  for (const name of Object.keys(body)) {
    if (!known.includes(name)) {
      throw invalidRequest(`unknown field '${name}'; known fields are ${known.join(', ')}`);
    }
  }
}

/**
 * The required, non-blank `query`.
 * @throws ServerError `invalid` when missing, not a string, or blank
 */
export function queryField(body: Fields): string {
  const { query } = body;
  if (query === undefined || query === null) throw invalidRequest('query is required');
  if (typeof query !== 'string') throw invalidRequest('query must be a string');
  if (query.trim().length === 0) {
    throw invalidRequest('query must not be empty or be only whitespace');
  }
  return query;
}

/**
 * An optional integer of at least `minimum`.
 * @throws ServerError `invalid` for anything else
 */
export function optionalInteger(body: Fields, name: string, minimum: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw invalidRequest(`${name} must be an integer of at least ${minimum}`);
  }
  return value;
}

/**
 * An optional boolean.
 * @throws ServerError `invalid` for anything else
 */
export function optionalBoolean(body: Fields, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${name} must be a boolean`);
  return value;
}

/**
 * An optional string.
 * @throws ServerError `invalid` for anything else
 */
export function optionalString(body: Fields, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  return value;
}

/**
 * A required, non-empty list of at most `maxItems` entries (not yet type-checked).
 * @throws ServerError `invalid` when missing or not an array, `empty` when empty,
 *   `too-many-documents` past the limit
 */
export function itemList(value: unknown, name: string, maxItems: number): unknown[] {
  if (value === undefined || value === null) throw invalidRequest(`${name} is required`);
  if (!Array.isArray(value)) throw invalidRequest(`${name} must be an array`);
  if (value.length === 0) throw invalidRequest(`list of ${name} must not be empty`, 'empty');
  if (value.length > maxItems) {
    throw new ServerError(
      'too-many-documents',
      `invalid request: ${value.length} ${name} is more than this server's limit of ${maxItems} per request`,
    );
  }
  return value;
}

/**
 * Every entry as a string.
 * @throws ServerError `invalid` naming the first entry that is not one
 */
export function stringItems(values: unknown[], name: string): string[] {
  return values.map((value, index) => {
    if (typeof value !== 'string') throw invalidRequest(`${name}[${index}] must be a string`);
    return value;
  });
}
