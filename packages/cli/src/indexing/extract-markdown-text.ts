import type { ExtractedText } from './extracted-text.js';

const frontMatterTitle =
  /^---\r?\n(?:[^\n]*\n)*?title:[ \t]*(.+?)[ \t]*\r?\n(?:[^\n]*\n)*?---\r?\n/;
const heading = /^#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m;

/**
 * A Markdown file is indexed as it is written (its markup is short and readable, and offsets
 * then point into the file itself); its title is the front matter's `title:` or the first
 * heading.
 */
export function extractMarkdownText(source: string): ExtractedText {
  const title = frontMatterTitle.exec(source)?.[1] ?? heading.exec(source)?.[1];
  const cleaned = title?.replace(/^["']|["']$/g, '').trim();
  return cleaned === undefined || cleaned === ''
    ? { text: source }
    : { text: source, title: cleaned };
}
