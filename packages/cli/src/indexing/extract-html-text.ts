import type { ExtractedText } from './extracted-text.js';

/**
 * The readable text of an HTML page, by `html-to-text` (block elements become line breaks,
 * entities are decoded, scripts and styles dropped, link targets and images left out, no
 * wrapping and no upper-casing of headings); the title is the page's `<title>`. Loaded on first
 * use, so commands that read no HTML never load it.
 */
export async function extractHtmlText(html: string): Promise<ExtractedText> {
  const { convert } = await import('html-to-text');
  const notUpperCase = { options: { uppercase: false } };
  const options = {
    wordwrap: false as const,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', ...notUpperCase },
      { selector: 'h2', ...notUpperCase },
      { selector: 'h3', ...notUpperCase },
      { selector: 'h4', ...notUpperCase },
      { selector: 'h5', ...notUpperCase },
      { selector: 'h6', ...notUpperCase },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  };
  const text = convert(html, options).trim();
  const titleMarkup = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const title = titleMarkup === undefined ? '' : convert(titleMarkup, { wordwrap: false }).trim();
  return title === '' ? { text } : { text, title };
}
