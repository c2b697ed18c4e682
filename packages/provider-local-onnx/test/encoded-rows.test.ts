import { describe, expect, test } from 'vitest';
import {
  concatRows,
  packRows,
  rowBuffers,
  rowCount,
  rowLength,
  selectRows,
} from '../src/runtime/encoded-rows.js';

const inputs = [
  { ids: [101, 7, 8, 102], typeIds: [0, 0, 0, 1], truncated: false },
  { ids: [101, 9, 102], typeIds: [0, 1, 1], truncated: true },
  { ids: [101, 102], typeIds: [0, 0], truncated: false },
];

const unpack = (rows: ReturnType<typeof packRows>) =>
  Array.from({ length: rowCount(rows) }, (_, row) => {
    const from = rows.offsets[row] as number;
    const to = rows.offsets[row + 1] as number;
    return {
      ids: Array.from(rows.ids.subarray(from, to)),
      typeIds: Array.from(rows.typeIds.subarray(from, to)),
      truncated: rows.truncated[row] === 1,
    };
  });

describe('encoded rows', () => {
  test('pack keeps every row, its type ids and its truncation flag', () => {
    const rows = packRows(inputs);
    expect(Array.from(rows.offsets)).toEqual([0, 4, 7, 9]);
    expect(unpack(rows)).toEqual(inputs);
    expect([0, 1, 2].map((row) => rowLength(rows, row))).toEqual([4, 3, 2]);
  });

  test('select copies the chosen rows in the chosen order', () => {
    const rows = packRows(inputs);
    expect(unpack(selectRows(rows, [2, 0]))).toEqual([inputs[2], inputs[0]]);
    expect(unpack(rows)).toEqual(inputs); // the source is untouched
  });

  test('concat joins packs end to end with shifted offsets', () => {
    const joined = concatRows([packRows(inputs.slice(0, 1)), packRows(inputs.slice(1))]);
    expect(Array.from(joined.offsets)).toEqual([0, 4, 7, 9]);
    expect(unpack(joined)).toEqual(inputs);
  });

  test('an empty pack has no rows', () => {
    const rows = packRows([]);
    expect(rowCount(rows)).toBe(0);
    expect(unpack(concatRows([rows, packRows(inputs.slice(2))]))).toEqual([inputs[2]]);
  });

  test('the transfer list holds four distinct buffers', () => {
    const buffers = rowBuffers(packRows(inputs));
    expect(new Set(buffers).size).toBe(4);
  });
});
