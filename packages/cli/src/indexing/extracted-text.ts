/** The text a source file yields, and its title where the file names one. */
export type ExtractedText = {
  /** The text that is chunked; chunk offsets index into it. */
  text: string;
  /** The file's own title (a Markdown heading, an HTML `<title>`, a PDF's Title), if any. */
  title?: string;
};
