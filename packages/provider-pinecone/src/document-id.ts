import { createHash } from 'node:crypto';

/**
 * The id of a document that came without one: a hash of its text, so the same text always gets
 * the same id and re-running an ingestion overwrites records instead of duplicating them.
 *
 * @example documentId('Savings rates for 2024') // 'doc-5d41402abc4b2a76b9719d911017c592' (shape)
 */
export function documentId(text: string): string {
  // NFC first: the same words typed in decomposed form (common for Vietnamese) get the same id.
  const digest = createHash('sha256').update(text.normalize('NFC'), 'utf8').digest('hex');
  return `doc-${digest.slice(0, 32)}`;
}
