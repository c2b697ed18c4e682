import { basename, extname } from 'node:path';
import type { EmbeddedDocument } from '@twostage/embedded';
import { chunkText } from './chunk-text.js';
import type { ChunkingSettings } from './chunking-settings.js';
import type { ExtractedText } from './extracted-text.js';
import type { CorpusRecord } from './read-jsonl-corpus.js';

/**
 * The documents of a text source: one per chunk, id `<path>#<chunk number>`, with flat metadata
 * `source` (the path), `chunk` (its number), `start` / `end` (offsets into the extracted text:
 * `text.slice(start, end)` is the chunk) and `title` (the file's own, else its name without the
 * extension).
 */
export function chunkDocuments(
  path: string,
  extracted: ExtractedText,
  chunking: ChunkingSettings,
): EmbeddedDocument[] {
  const title = extracted.title ?? basename(path, extname(path));
  return chunkText(extracted.text, chunking).map((chunk) => ({
    id: `${path}#${chunk.index}`,
    text: chunk.text,
    metadata: { source: path, chunk: chunk.index, start: chunk.start, end: chunk.end, title },
  }));
}

/**
 * The documents of a JSON Lines corpus: one per record, kept whole and under the record's own
 * id, so that BEIR qrels keep referring to them. The title is indexed with the text (`title`,
 * a blank line, `text`); the metadata is the record's, plus `source`, `line`, `chunk` (0),
 * `start` / `end` (over the indexed text) and `title`, which take precedence over record fields
 * of the same names.
 */
export function corpusDocuments(
  path: string,
  records: readonly CorpusRecord[],
): EmbeddedDocument[] {
  return records.map((record) => {
    const text = record.title === undefined ? record.text : `${record.title}\n\n${record.text}`;
    return {
      id: record.id,
      text,
      metadata: {
        ...record.metadata,
        source: path,
        line: record.line,
        chunk: 0,
        start: 0,
        end: text.length,
        ...(record.title === undefined ? {} : { title: record.title }),
      },
    };
  });
}
