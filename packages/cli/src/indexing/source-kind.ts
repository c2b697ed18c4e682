import { extname } from 'node:path';

/** The kinds of file `twostage index` reads. */
export type SourceKind = 'markdown' | 'text' | 'html' | 'pdf' | 'jsonl';

/** File extensions (lower case) and the kind each is read as. */
export const sourceKindsByExtension: Readonly<Record<string, SourceKind>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.jsonl': 'jsonl',
};

/** The supported extensions, for messages. */
export const supportedExtensions = Object.keys(sourceKindsByExtension).join(' ');

/** The kind a file is read as, from its extension (case-insensitive), or `undefined`. */
export function sourceKindOf(path: string): SourceKind | undefined {
  return sourceKindsByExtension[extname(path).toLowerCase()];
}
