import type { JsonObject } from '@twostage/core';

/**
 * Renders a JSON object as `key: value` lines, the text form rerank engines take (they score
 * strings only): strings plain, other values as JSON, `undefined` fields left out.
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
