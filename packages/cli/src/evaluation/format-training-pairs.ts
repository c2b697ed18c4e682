import type { TrainingPair } from './mine-training-pairs.js';

/** The file formats `twostage pairs export` writes, chosen by the `--out` extension. */
export type PairsFormat = 'jsonl' | 'csv' | 'tsv';

/** The format for an output path: `.csv`, `.tsv`, else JSON lines. */
export function pairsFormatOf(path: string): PairsFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsv')) return 'tsv';
  return 'jsonl';
}

/**
 * Serialises pairs with exactly the columns `query`, `passage`, `label`, in that order: what
 * `datasets.load_dataset("json" | "csv", ...)` turns into a Dataset that sentence-transformers'
 * `CrossEncoderTrainer` reads (the `label` column is the target; the other columns, in order,
 * are the text pair — so no other column may be added).
 */
export function formatTrainingPairs(pairs: readonly TrainingPair[], format: PairsFormat): string {
  if (format === 'jsonl') {
    return pairs.map((pair) => `${JSON.stringify(pair)}\n`).join('');
  }
  const separator = format === 'csv' ? ',' : '\t';
  const cell = format === 'csv' ? csvCell : tsvCell;
  const lines = [`query${separator}passage${separator}label`];
  for (const pair of pairs) {
    lines.push([cell(pair.query), cell(pair.passage), String(pair.label)].join(separator));
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** TSV has no quoting: tabs and line breaks inside a text become spaces. */
function tsvCell(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ');
}
