import { readFile } from 'node:fs/promises';

/** Reads a JSON Lines file: one JSON value per non-blank line. Names the line that is broken. */
export async function loadJsonl<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as T;
      } catch (error) {
        throw new Error(`${path}:${number} is not valid JSON`, { cause: error });
      }
    });
}
