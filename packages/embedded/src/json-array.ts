import { stringTableChunkUnits } from './string-table.js';

/**
 * `JSON.stringify(values)` as UTF-8, built a piece at a time so that an array whose JSON
 * exceeds V8's longest string (about 2^29 units) still encodes. The bytes equal those of one
 * `JSON.stringify` call (for JSON values; `undefined` must be mapped to `null` first).
 */
export function encodeJsonArray(
  values: readonly unknown[],
  chunkUnits = stringTableChunkUnits,
): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let parts: string[] = [];
  let units = 0;
  const flush = () => {
    pieces.push(encoder.encode(parts.join('')));
    parts = [];
    units = 0;
  };
  parts.push('[');
  values.forEach((value, index) => {
    const json = `${index === 0 ? '' : ','}${JSON.stringify(value)}`;
    if (units > 0 && units + json.length > chunkUnits) flush();
    parts.push(json);
    units += json.length;
  });
  parts.push(']');
  flush();
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const bytes = new Uint8Array(pieces.reduce((total, piece) => total + piece.byteLength, 0));
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.byteLength;
  }
  return bytes;
}

/**
 * The inverse of {@link encodeJsonArray}: one `JSON.parse` when the bytes are small, else the
 * array is cut at top-level commas (found by a byte scan that tracks strings and nesting) into
 * pieces of about `chunkBytes`, each parsed on its own.
 *
 * @throws {SyntaxError} when the bytes are not a JSON array
 */
export function decodeJsonArray(bytes: Uint8Array, chunkBytes = stringTableChunkUnits): unknown[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (bytes.byteLength <= chunkBytes) {
    const parsed: unknown = JSON.parse(decoder.decode(bytes));
    if (!Array.isArray(parsed)) throw new SyntaxError('Expected a JSON array.');
    return parsed;
  }
  if (bytes[0] !== 0x5b) throw new SyntaxError('Expected a JSON array.');
  const values: unknown[] = [];
  const parsePiece = (start: number, end: number) => {
    const piece = JSON.parse(`[${decoder.decode(bytes.subarray(start, end))}]`) as unknown[];
    for (const value of piece) values.push(value);
  };
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieceStart = 1;
  for (let index = 0; index < bytes.byteLength; index++) {
    const byte = bytes[index] as number;
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) depth++;
    else if (byte === 0x5d || byte === 0x7d) {
      depth--;
      if (depth === 0) {
        if (index !== bytes.byteLength - 1)
          throw new SyntaxError('Unexpected data after the array.');
        parsePiece(pieceStart, index);
      }
    } else if (byte === 0x2c && depth === 1 && index - pieceStart >= chunkBytes) {
      parsePiece(pieceStart, index);
      pieceStart = index + 1;
    }
  }
  if (depth !== 0) throw new SyntaxError('Unterminated JSON array.');
  return values;
}
