import { InvalidArgumentError } from '@twostage/core';
import { checkOptionNames } from '@twostage/core/provider-utils';

/** What a value is, for messages: never the value itself (it may hold a secret or a document). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Checks a bridge's options: `undefined` (when they are optional) or a plain object whose names
 * are all known, so a plain-JS typo is refused instead of silently ignored.
 */
export function checkBridgeOptions(
  options: unknown,
  known: readonly string[],
  what: string,
  { required = false }: { required?: boolean } = {},
): Record<string, unknown> {
  if (options === undefined && !required) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `must be an object${required ? '' : ' when given'}, got ${describeValue(options)}.`,
    });
  }
  checkOptionNames(options, known, what, 'options');
  return options as Record<string, unknown>;
}

/**
 * Checks that `value` is an object with the method `method`, declaring one of `versions` as its
 * `specificationVersion` and string `provider` / `modelId`.
 *
 * @param argument - the argument's name in messages (`stage`, `model`)
 * @param kind - what was expected, for messages ("a twostage rerank stage")
 */
export function checkModelShape(
  value: unknown,
  {
    argument,
    method,
    versions,
    kind,
    hint,
  }: { argument: string; method: string; versions: readonly string[]; kind: string; hint: string },
): void {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument,
      message: `must be ${kind} (an object with a '${method}' method), got ${describeValue(value)}.`,
    });
  }
  const { specificationVersion, provider, modelId } = value as Record<string, unknown>;
  if (typeof specificationVersion !== 'string' || !versions.includes(specificationVersion)) {
    throw new InvalidArgumentError({
      argument: `${argument}.specificationVersion`,
      message: `must be ${versions.map((version) => `'${version}'`).join(' or ')} for ${kind}, got ${describeValue(specificationVersion)}. ${hint}`,
    });
  }
  for (const [name, field] of [
    ['provider', provider],
    ['modelId', modelId],
  ] as const) {
    if (typeof field !== 'string' || field === '') {
      throw new InvalidArgumentError({
        argument: `${argument}.${name}`,
        message: `must be a non-empty string, got ${describeValue(field)}.`,
      });
    }
  }
}

/** Checks an optional non-empty string option (a `provider` or `modelId` override). */
export function checkOptionalName(value: unknown, argument: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError({
      argument,
      message: `must be a non-empty string when given, got ${describeValue(value)}.`,
    });
  }
  return value;
}

/** The headers without `undefined` values: the AI SDK's v3 headers are plain strings. */
export function definedHeaders(
  headers: Record<string, string | undefined> | undefined,
): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}
