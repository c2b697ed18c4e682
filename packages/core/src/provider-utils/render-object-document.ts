import type { JsonObject } from '../spec/v1/shared-v1.js';

/**
 * Renders a JSON object document as `key: value` lines, the text form of an object for a model or
 * engine that scores strings only, so every field's words reach it: strings plain, other values
 * as JSON, `undefined` fields left out. (Cohere's adapter writes YAML blocks instead, as Cohere
 * recommends.)
 *
 * @example renderObjectDocument({ title: 'Fees', year: 2024 }) // 'title: Fees\nyear: 2024'
 */
export function renderObjectDocument(document: JsonObject): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (value === undefined) continue;
    lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}
