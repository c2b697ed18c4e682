/**
 * UTF-16 units of text joined and encoded at a time. V8 caps one string at about 2^29 units
 * (512 Mi), and a million chunks of text are about that much, so neither the encoder nor the
 * decoder ever builds the whole table as one string; 16 Mi units keep each step short.
 */
export const stringTableChunkUnits = 1 << 24;

/**
 * Many strings as one UTF-8 blob plus UTF-16 end offsets: decoding 100k texts is then a few
 * `TextDecoder` calls and 100k cheap slices, which keeps loading a saved index well under a
 * second. The blob is the UTF-8 of the strings' concatenation, encoded in pieces of at most
 * `chunkUnits` UTF-16 units (split between strings only, so no character is cut).
 */
export function encodeStrings(
  strings: readonly string[],
  chunkUnits = stringTableChunkUnits,
): { blob: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(strings.length);
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let end = 0;
  let pieceStart = 0;
  let pieceUnits = 0;
  let totalBytes = 0;
  const flush = (pieceEnd: number) => {
    if (pieceEnd === pieceStart) return;
    const piece = encoder.encode(strings.slice(pieceStart, pieceEnd).join(''));
    pieces.push(piece);
    totalBytes += piece.byteLength;
    pieceStart = pieceEnd;
    pieceUnits = 0;
  };
  for (let index = 0; index < strings.length; index++) {
    const length = (strings[index] as string).length;
    if (pieceUnits > 0 && pieceUnits + length > chunkUnits) flush(index);
    pieceUnits += length;
    end += length;
    ends[index] = end;
  }
  flush(strings.length);
  if (pieces.length === 1) return { blob: pieces[0] as Uint8Array, ends };
  const blob = new Uint8Array(totalBytes);
  let offset = 0;
  for (const piece of pieces) {
    blob.set(piece, offset);
    offset += piece.byteLength;
  }
  return { blob, ends };
}

/**
 * The inverse of {@link encodeStrings}: decodes the blob about `chunkBytes` at a time, each
 * piece ending on a character boundary, and slices the strings out as their ends are reached,
 * so no string longer than the longest one plus a piece is built. (Whole pieces rather than a
 * streaming decoder: Node's streaming `TextDecoder` measured 3× slower than a whole decode.)
 *
 * @throws {RangeError} when the offsets do not match the text
 * @throws {TypeError} when the blob is not valid UTF-8
 */
export function decodeStrings(
  blob: Uint8Array,
  ends: Uint32Array,
  chunkBytes = stringTableChunkUnits,
): string[] {
  // ignoreBOM: a text starting with U+FEFF keeps it (it is content here, not a marker).
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const strings = new Array<string>(ends.length);
  let next = 0;
  /** Where the current piece starts in the whole table (UTF-16 units). */
  let position = 0;
  /** The start of a string that began in an earlier piece. */
  let carry = '';
  const take = (piece: string) => {
    let offset = 0;
    while (next < ends.length) {
      const end = (ends[next] as number) - position;
      if (end > piece.length) break;
      if (end < offset) throw new RangeError('String table offsets are not in order.');
      // Strings inside the piece are slices of it; only one cut between pieces is joined.
      const value = piece.slice(offset, end);
      strings[next++] = carry === '' ? value : carry + value;
      carry = '';
      offset = end;
    }
    carry += piece.slice(offset);
    position += piece.length;
  };
  let start = 0;
  do {
    let end = Math.min(blob.byteLength, start + Math.max(4, chunkBytes));
    // Back off over continuation bytes (10xxxxxx) so the piece ends between characters; a
    // UTF-8 character has at most three of them, more means a damaged blob (decode throws).
    for (
      let back = 0;
      back < 3 && end < blob.byteLength && ((blob[end] as number) & 0xc0) === 0x80;
      back++
    ) {
      end--;
    }
    take(decoder.decode(blob.subarray(start, end)));
    start = end;
  } while (start < blob.byteLength);
  if (next !== ends.length || carry.length > 0) {
    throw new RangeError('String table offsets do not match its text.');
  }
  return strings;
}
