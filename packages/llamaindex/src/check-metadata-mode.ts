import { MetadataMode } from '@llamaindex/core/schema';
import { InvalidArgumentError } from '@twostage/core';

const metadataModes: readonly string[] = Object.values(MetadataMode);

/**
 * Checks a `metadataMode` option: absent (the default), or one of LlamaIndex's `MetadataMode`
 * values. Plain-JS callers pass strings, so `'ALL'` is accepted as well as `MetadataMode.ALL`.
 *
 * @param value - the option as the caller gave it
 * @param fallback - the mode used when the option is absent
 * @param argument - the option's path in the error
 * @throws InvalidArgumentError naming the option and the valid modes
 */
export function checkMetadataMode(
  value: unknown,
  fallback: MetadataMode,
  argument: string,
): MetadataMode {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && metadataModes.includes(value)) return value as MetadataMode;
  throw new InvalidArgumentError({
    argument,
    message: `must be one of LlamaIndex's MetadataMode values (${metadataModes.join(', ')}), got ${typeof value === 'string' ? `'${value}'` : typeof value}.`,
  });
}
