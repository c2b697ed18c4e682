import type { DocumentMetadata } from '@twostage/core';

/**
 * Where a result comes from, from the chunk metadata `twostage index` writes (`source`,
 * `chunk`, `start`, `end`), read defensively: any of them may be missing or of another type
 * (a BEIR corpus or a foreign index), and then the id stands in.
 * `guide.md #3 [1200–1680]` / `home-loan-en-01`.
 */
export function describeSource(id: string, metadata: DocumentMetadata): string {
  const source =
    typeof metadata.source === 'string' && metadata.source !== '' ? metadata.source : id;
  const chunk = typeof metadata.chunk === 'number' ? ` #${metadata.chunk}` : '';
  const { start, end } = metadata;
  const offsets = typeof start === 'number' && typeof end === 'number' ? ` [${start}–${end}]` : '';
  return `${source}${chunk}${offsets}`;
}

/** The chunk's title (`title` metadata), when it has a non-empty string one. */
export function titleOf(metadata: DocumentMetadata): string | undefined {
  return typeof metadata.title === 'string' && metadata.title.trim() !== ''
    ? metadata.title.trim()
    : undefined;
}
