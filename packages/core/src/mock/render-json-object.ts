import type { JsonObject, JsonValue } from '../spec/v1/index.js';

/**
 * Renders a JSON object document as `key: value` lines, in key order, so every field's words
 * count for relevance. Nested values are written as JSON.
 */
export function renderJsonObject(value: JsonObject): string {
  return Object.entries(value)
    .filter((entry): entry is [string, JsonValue] => entry[1] !== undefined)
    .map(([key, field]) => `${key}: ${typeof field === 'string' ? field : JSON.stringify(field)}`)
    .join('\n');
}
