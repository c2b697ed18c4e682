/**
 * Finds the TypeScript blocks of a README that `check-readme-snippets.ts` type-checks.
 *
 * Convention: every ```ts (or ```typescript) block is checked; a block marked ```ts no-check
 * (a fragment or pseudo-code, on purpose not a complete program) is left out.
 */

/** One fenced TypeScript block of a README. */
export type Snippet = {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based README line of the block's first code line. */
  firstLine: number;
  code: string;
};

const fenceOpening = /^```(ts|typescript)(\s+(.*))?$/;

/** The checked ```ts blocks of one README, in order; ```ts no-check blocks are left out. */
export function extractSnippets(readme: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = fenceOpening.exec(lines[index] ?? '');
    if (!opening) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
    if (end === -1) throw new Error(`${readme}:${index + 1}: the code block is never closed`);
    const flags = (opening[3] ?? '').split(/\s+/);
    if (!flags.includes('no-check')) {
      snippets.push({ readme, firstLine: index + 2, code: lines.slice(index + 1, end).join('\n') });
    }
    index = end;
  }
  return snippets;
}
