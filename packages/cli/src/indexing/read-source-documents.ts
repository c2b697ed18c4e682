import type { EmbeddedDocument } from '@twostage/embedded';
import type { ChunkingSettings } from './chunking-settings.js';
import type { SourceFile } from './collect-sources.js';
import { decodeUtf8 } from './decode-utf8.js';
import { extractHtmlText } from './extract-html-text.js';
import { extractMarkdownText } from './extract-markdown-text.js';
import { extractPdfText } from './extract-pdf-text.js';
import { readJsonlCorpus } from './read-jsonl-corpus.js';
import { chunkDocuments, corpusDocuments } from './source-documents.js';

/**
 * The documents a source file's bytes yield: chunks of its text (Markdown, text, HTML, PDF), or
 * a JSONL corpus's records, each whole.
 *
 * @throws CliError naming the file (and line) when it cannot be read as its kind
 */
export async function readSourceDocuments(
  source: SourceFile,
  bytes: Uint8Array,
  chunking: ChunkingSettings,
): Promise<EmbeddedDocument[]> {
  switch (source.kind) {
    case 'jsonl':
      return corpusDocuments(
        source.path,
        readJsonlCorpus(decodeUtf8(bytes, source.path), source.path),
      );
    case 'pdf':
      return chunkDocuments(source.path, await extractPdfText(bytes, source.path), chunking);
    case 'html':
      return chunkDocuments(
        source.path,
        await extractHtmlText(decodeUtf8(bytes, source.path)),
        chunking,
      );
    case 'markdown':
      return chunkDocuments(
        source.path,
        extractMarkdownText(decodeUtf8(bytes, source.path)),
        chunking,
      );
    case 'text':
      return chunkDocuments(source.path, { text: decodeUtf8(bytes, source.path) }, chunking);
  }
}
