import type { WarningV1 } from '@twostage/core';
import type { CohereApiMeta } from './cohere-api-types.js';

/**
 * Cohere's own notices in a response's `meta` as core warnings: `meta.warnings` (for instance a
 * model being retired) and `api_version.is_deprecated`. Dropping them would hide a model's
 * deprecation until the day its calls start failing.
 * @see https://docs.cohere.com/reference/rerank (the `meta` of every response, `ApiMeta`)
 */
export function cohereMetaWarnings(meta: CohereApiMeta | undefined): WarningV1[] {
  const warnings: WarningV1[] = [];
  const apiVersion = meta?.api_version;
  if (apiVersion?.is_deprecated === true) {
    warnings.push({
      type: 'other',
      message: `Cohere reports that version ${apiVersion.version} of its API is deprecated.`,
    });
  }
  for (const message of meta?.warnings ?? []) {
    if (typeof message === 'string' && message.trim() !== '') {
      warnings.push({ type: 'other', message: `Cohere: ${message}` });
    }
  }
  return warnings;
}
