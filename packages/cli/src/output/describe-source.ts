import type { DocumentMetadata } from '@twostage/core';

/**
 * Where a result comes from, from the chunk metadata `twostage index` writes (`source`,
 * `line` for JSONL records, `chunk`, `start`, `end`), read defensively: any of them may be missing or of another type
 * (a BEIR corpus or a foreign index), and then the id stands in.
 * `guide.md #3 [1200–1680]` / `home-loan-en-01`; a path over 40 characters keeps its last two
 * segments.
 */
export function describeSource(id: string, metadata: DocumentMetadata): string {
  const source =
    typeof metadata.source === 'string' && metadata.source !== '' ? shorten(metadata.source) : id;
  // A JSONL source also records the line the record came from.
  const line = typeof metadata.line === 'number' ? `:${metadata.line}` : '';
  const chunk = typeof metadata.chunk === 'number' ? ` #${metadata.chunk}` : '';
  const { start, end } = metadata;
  const offsets = typeof start === 'number' && typeof end === 'number' ? ` [${start}–${end}]` : '';
  return `${source}${line}${chunk}${offsets}`;
}

/** The chunk's title (`title` metadata), when it has a non-empty string one. */
export function titleOf(metadata: DocumentMetadata): string | undefined {
  return typeof metadata.title === 'string' && metadata.title.trim() !== ''
    ? metadata.title.trim()
    : undefined;
}

/** A long path keeps its last two segments (`…/bank-policies/corpus.jsonl`), so tables stay readable. */
function shorten(path: string): string {
  if (path.length <= 40) return path;
  const segments = path.split(/[\\/]/).filter((segment) => segment !== '');
  return segments.length <= 2 ? path : `…/${segments.slice(-2).join('/')}`;
}
