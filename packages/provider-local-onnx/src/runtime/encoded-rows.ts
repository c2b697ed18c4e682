import type { EncodedInput } from '../tokenizer/pair-encoder.js';

/**
 * Tokenized inputs packed into flat typed arrays, so they cross between threads as transferable
 * buffers instead of arrays of numbers. Row `r` spans `offsets[r]` to `offsets[r + 1]`.
 */
export type EncodedRows = {
  ids: Int32Array;
  typeIds: Uint8Array;
  /** `rows + 1` entries; `offsets[0]` is 0. */
  offsets: Int32Array;
  /** 1 where the input was cut to the model's limit. */
  truncated: Uint8Array;
};

/** Number of rows. */
export function rowCount(rows: EncodedRows): number {
  return rows.offsets.length - 1;
}

/** Tokens in row `index`. */
export function rowLength(rows: EncodedRows, index: number): number {
  return (rows.offsets[index + 1] as number) - (rows.offsets[index] as number);
}

/** Packs encoder output. */
export function packRows(inputs: readonly EncodedInput[]): EncodedRows {
  const offsets = new Int32Array(inputs.length + 1);
  inputs.forEach((input, index) => {
    offsets[index + 1] = (offsets[index] as number) + input.ids.length;
  });
  const total = offsets[inputs.length] as number;
  const ids = new Int32Array(total);
  const typeIds = new Uint8Array(total);
  const truncated = new Uint8Array(inputs.length);
  inputs.forEach((input, index) => {
    const start = offsets[index] as number;
    ids.set(input.ids, start);
    typeIds.set(input.typeIds, start);
    truncated[index] = input.truncated ? 1 : 0;
  });
  return { ids, typeIds, offsets, truncated };
}

/** The rows at `indices`, in that order, as a new pack. */
export function selectRows(rows: EncodedRows, indices: readonly number[]): EncodedRows {
  const offsets = new Int32Array(indices.length + 1);
  indices.forEach((rowIndex, index) => {
    offsets[index + 1] = (offsets[index] as number) + rowLength(rows, rowIndex);
  });
  const total = offsets[indices.length] as number;
  const ids = new Int32Array(total);
  const typeIds = new Uint8Array(total);
  const truncated = new Uint8Array(indices.length);
  indices.forEach((rowIndex, index) => {
    const from = rows.offsets[rowIndex] as number;
    const to = rows.offsets[rowIndex + 1] as number;
    ids.set(rows.ids.subarray(from, to), offsets[index] as number);
    typeIds.set(rows.typeIds.subarray(from, to), offsets[index] as number);
    truncated[index] = rows.truncated[rowIndex] as number;
  });
  return { ids, typeIds, offsets, truncated };
}

/** Joins packs end to end (the rows of the first, then of the second, ...). */
export function concatRows(parts: readonly EncodedRows[]): EncodedRows {
  if (parts.length === 1) return parts[0] as EncodedRows;
  const rows = parts.reduce((sum, part) => sum + rowCount(part), 0);
  const total = parts.reduce((sum, part) => sum + part.ids.length, 0);
  const ids = new Int32Array(total);
  const typeIds = new Uint8Array(total);
  const offsets = new Int32Array(rows + 1);
  const truncated = new Uint8Array(rows);
  let rowBase = 0;
  let tokenBase = 0;
  for (const part of parts) {
    ids.set(part.ids, tokenBase);
    typeIds.set(part.typeIds, tokenBase);
    truncated.set(part.truncated, rowBase);
    for (let index = 1; index < part.offsets.length; index += 1)
      offsets[rowBase + index] = tokenBase + (part.offsets[index] as number);
    rowBase += rowCount(part);
    tokenBase += part.ids.length;
  }
  return { ids, typeIds, offsets, truncated };
}

/** The buffers to transfer when posting a pack to another thread. */
export function rowBuffers(rows: EncodedRows): ArrayBuffer[] {
  return [rows.ids.buffer, rows.typeIds.buffer, rows.offsets.buffer, rows.truncated.buffer].filter(
    (buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer,
  );
}
