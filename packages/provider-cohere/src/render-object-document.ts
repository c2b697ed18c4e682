import type { JsonObject, JsonValue } from '@twostage/core';

/**
 * Renders a JSON object as YAML-like `key: value` lines, the form Cohere recommends for
 * structured data in its v2 rerank API (which accepts text only; "structured data should be
 * formatted as YAML strings for best performance").
 *
 * - `fields` picks and orders the keys (Cohere's former `rank_fields`); all keys when undefined;
 * - strings are written plain; a multi-line string becomes a YAML block (`key: |-`), an empty
 *   one `""`;
 * - numbers, booleans and null are written as they are; arrays and nested objects as JSON, which
 *   is YAML's flow syntax;
 * - missing and `undefined` fields are left out.
 *
 * @example renderObjectDocument({ title: 'Fees', text: 'Early repayment costs 2%.' })
 * // 'title: Fees\ntext: Early repayment costs 2%.'
 */
export function renderObjectDocument(
  document: JsonObject,
  fields?: readonly string[] | undefined,
): string {
  const lines: string[] = [];
  for (const key of fields ?? Object.keys(document)) {
    if (!Object.hasOwn(document, key)) continue;
    const value = document[key];
    if (value === undefined) continue;
    lines.push(renderField(key, value));
  }
  return lines.join('\n');
}

function renderField(key: string, value: JsonValue): string {
  if (typeof value === 'string') {
    if (value === '') return `${key}: ""`;
    if (!value.includes('\n')) return `${key}: ${value}`;
    const indented = value
      .split('\n')
      .map((line) => (line === '' ? '' : `  ${line}`))
      .join('\n');
    return `${key}: |-\n${indented}`;
  }
  if (value === null || typeof value !== 'object') return `${key}: ${String(value)}`;
  return `${key}: ${JSON.stringify(value)}`;
}
