import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { ExtractedText } from './extracted-text.js';

/**
 * The text layer of a PDF, by Mozilla's pdf.js (`pdfjs-dist`, its legacy build for Node):
 * items in reading order, a line break where pdf.js sees one, a blank line between pages; the
 * title is the document's Title entry. A scanned PDF without a text layer yields no text (OCR is
 * out of scope). Loaded on first use, so commands that read no PDF never load it.
 *
 * @throws CliError naming the file when it is not a PDF, is damaged or is encrypted
 */
export async function extractPdfText(bytes: Uint8Array, shown: string): Promise<ExtractedText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const packageDirectory = dirname(
    createRequire(import.meta.url).resolve('pdfjs-dist/package.json'),
  );
  const loading = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    // The metrics of the 14 standard fonts ship with the package; without them pdf.js warns.
    standardFontDataUrl: `${join(packageDirectory, 'standard_fonts')}/`,
    useSystemFonts: false,
    isEvalSupported: false,
    // Errors only: pdf.js prints warnings with console.log, which would mix into stdout.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let document: Awaited<typeof loading.promise>;
  try {
    document = await loading.promise;
  } catch (error) {
    const name = (error as { name?: unknown }).name;
    throw new CliError(
      name === 'PasswordException'
        ? `cannot read '${shown}': the PDF is encrypted with a password.`
        : `cannot read '${shown}' as a PDF: ${error instanceof Error ? error.message : String(error)}.`,
      {
        hint: 'Index a PDF that opens without a password, or its text as a .txt file.',
        cause: error,
      },
    );
  }
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      pages.push(text.trim());
      page.cleanup();
    }
    const { info } = await document.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    const text = pages.filter((page) => page !== '').join('\n\n');
    return typeof title === 'string' && title.trim() !== ''
      ? { text, title: title.trim() }
      : { text };
  } finally {
    await document.destroy();
  }
}
