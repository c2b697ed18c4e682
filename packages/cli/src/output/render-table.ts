/** How a column's cells line up. */
export type ColumnAlign = 'left' | 'right';

/** One column of a plain-text table. */
export type TableColumn = { header: string; align?: ColumnAlign };

/**
 * A plain-text table: a header row, a rule, then the rows, columns padded to their widest cell
 * and separated by two spaces. Widths count code points, so Vietnamese text lines up (the CLI
 * prints NFC text, one code point per letter).
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...rows.map((row) => width(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => pad(cells[index] ?? '', widths[index] ?? 0, column.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((size) => '─'.repeat(size)).join('  ');
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: ColumnAlign): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}
