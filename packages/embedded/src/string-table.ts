/**
 * Many strings as one UTF-8 blob plus UTF-16 end offsets: decoding 100k texts is then one
 * `TextDecoder` call and 100k cheap slices, which keeps loading a saved index well under a second.
 */
export function encodeStrings(strings: readonly string[]): { blob: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(strings.length);
  let end = 0;
  strings.forEach((text, index) => {
    end += text.length;
    ends[index] = end;
  });
  return { blob: new TextEncoder().encode(strings.join('')), ends };
}

/** The inverse of {@link encodeStrings}. */
export function decodeStrings(blob: Uint8Array, ends: Uint32Array): string[] {
  const joined = new TextDecoder('utf-8', { fatal: true }).decode(blob);
  const strings = new Array<string>(ends.length);
  let start = 0;
  for (let index = 0; index < ends.length; index++) {
    const end = ends[index] as number;
    strings[index] = joined.slice(start, end);
    start = end;
  }
  if (start !== joined.length) throw new RangeError('String table offsets do not match its text.');
  return strings;
}
