import { InvalidArgumentError } from '@twostage/core';

/**
 * How chunk sizes are measured:
 * - `tokens`: words, numbers and punctuation marks (one Han or kana character each), an
 *   approximation of a model's tokens that needs no tokenizer (subword tokenizers make roughly
 *   1.2–1.6 tokens of each English word or Vietnamese syllable);
 * - `chars`: UTF-16 code units of the chunk's span, the unit of its offsets.
 */
export type ChunkUnit = 'tokens' | 'chars';

/** Options of {@link chunkText}. */
export type ChunkTextOptions = {
  /** How `size` and `overlap` are measured. */
  unit: ChunkUnit;
  /** The most a chunk holds, in `unit`s (an integer ≥ 1). A single longer word is kept whole. */
  size: number;
  /**
   * How much of the end of a chunk the next one repeats at most, in `unit`s (an integer ≥ 0 and
   * below `size`). The repeated part starts at a sentence where one starts within it.
   */
  overlap: number;
};

/** One chunk of a text. */
export type TextChunk = {
  /** Its position among the text's chunks, from 0. */
  index: number;
  /** Offset of its first character in the text (UTF-16 code units). */
  start: number;
  /** Offset just past its last character: `text.slice(start, end)` is the chunk's text. */
  end: number;
  /** The chunk's text, a slice of the input with no blank at either end. */
  text: string;
};

/** A word, a number or a punctuation mark of the text. */
type Atom = { start: number; end: number };

/**
 * Word tokens: runs of letters, marks and digits (with inner apostrophes: "don't"), one Han or
 * kana character at a time (those scripts put no spaces between words), or any other single
 * non-blank character. A regular expression rather than `Intl.Segmenter`, which measured about
 * a thousand times slower on long texts under Node 20.
 */
const atomPattern =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
/** Punctuation that ends a sentence. */
const sentenceEnd = /^[.!?…。！？]$/u;
/** Closing quotes and brackets that may follow a sentence's last punctuation mark. */
const closing = /^[)\]}"'’”»›」』]$/u;
/** A line break, which always ends a sentence (a heading, a list item, a paragraph). */
const lineBreak = /[\n\r\u2028\u2029]/u;
const lowerCaseStart = /^\p{Ll}/u;

/**
 * Splits a text into overlapping chunks of at most `size` units, cutting at sentence boundaries
 * where a sentence ends in the second half of the chunk, else between words. A chunk is a slice
 * of the text (its offsets re-slice to it exactly) without blanks at either end; a blank or empty
 * text has no chunks, a text shorter than `size` is one chunk. Pure: the same input always gives
 * the same chunks.
 *
 * @example chunkText(text, { unit: 'tokens', size: 200, overlap: 40 })
 * @throws InvalidArgumentError when `size`, `overlap` or `unit` is out of range
 */
export function chunkText(text: string, options: ChunkTextOptions): TextChunk[] {
  validateChunkTextOptions(options);
  const { size, overlap, unit } = options;
  const { atoms, sentenceStarts } = segment(text);
  const count = atoms.length;
  const first = (index: number) => (atoms[index] as Atom).start;
  const last = (index: number) => (atoms[index] as Atom).end;
  // The size of atoms [from, to), in the chosen unit.
  const measure = (from: number, to: number) =>
    unit === 'tokens' ? to - from : last(to - 1) - first(from);

  // Whether an atom touches the one before it ("loans." or "2%"): no cut goes between them.
  const joined = (index: number) => first(index) === last(index - 1);
  // Where a chunk of atoms [from, to) that does not reach the end is cut: at the last sentence
  // start that leaves it at least half full, else at the last blank between atoms.
  const cutBefore = (from: number, to: number) => {
    for (let cut = to; cut > from + 1; cut--) {
      if (measure(from, cut) * 2 < size) break;
      if (sentenceStarts[cut] === 1) return cut;
    }
    for (let cut = to; cut > from + 1; cut--) if (!joined(cut)) return cut;
    return to;
  };
  // Where the chunk after atoms [from, to) begins: it repeats at most `overlap` units of their
  // end, from the first sentence start in that stretch. With none there, a chunk that ended with
  // its sentence is not repeated (half a sentence adds no context); one cut inside a sentence is
  // repeated from a word. It always moves forward by at least one atom.
  const nextStart = (from: number, to: number) => {
    let next = from + 1;
    while (next < to && (measure(next, to) > overlap || joined(next))) next++;
    for (let candidate = next; candidate < to; candidate++) {
      if (sentenceStarts[candidate] === 1) return candidate;
    }
    return sentenceStarts[to] === 1 ? to : next;
  };

  const chunks: TextChunk[] = [];
  let from = 0;
  while (from < count) {
    let to = from + 1;
    while (to < count && measure(from, to + 1) <= size) to++;
    if (to < count) to = cutBefore(from, to);
    const start = first(from);
    const end = last(to - 1);
    chunks.push({ index: chunks.length, start, end, text: text.slice(start, end) });
    if (to >= count) break;
    from = nextStart(from, to);
  }
  return chunks;
}

/**
 * The text's atoms, and which of them begin a sentence (1) or not (0). A sentence begins after
 * a line break, and after `.`, `!`, `?` (and closing quotes or brackets) followed by a blank
 * and a word that does not start in lower case — so "2.5", "e.g. the" and "Mr. smith" do not
 * split, "Mr. Smith" does.
 */
function segment(text: string): { atoms: Atom[]; sentenceStarts: Uint8Array } {
  const atoms: Atom[] = [];
  for (const match of text.matchAll(atomPattern)) {
    atoms.push({ start: match.index, end: match.index + match[0].length });
  }
  const textOf = (atom: Atom) => text.slice(atom.start, atom.end);
  const sentenceStarts = new Uint8Array(atoms.length);
  if (atoms.length > 0) sentenceStarts[0] = 1;
  for (let index = 1; index < atoms.length; index++) {
    const current = atoms[index] as Atom;
    const gap = text.slice((atoms[index - 1] as Atom).end, current.start);
    if (lineBreak.test(gap)) {
      sentenceStarts[index] = 1;
      continue;
    }
    if (gap === '' || lowerCaseStart.test(textOf(current))) continue;
    let before = index - 1;
    while (before > 0 && closing.test(textOf(atoms[before] as Atom))) before--;
    if (sentenceEnd.test(textOf(atoms[before] as Atom))) sentenceStarts[index] = 1;
  }
  return { atoms, sentenceStarts };
}

/**
 * Checks chunking options: a known unit, an integer size ≥ 1, an integer overlap ≥ 0 below the
 * size.
 *
 * @throws InvalidArgumentError naming the option that is out of range
 */
export function validateChunkTextOptions(options: ChunkTextOptions): void {
  if (options.unit !== 'tokens' && options.unit !== 'chars') {
    throw new InvalidArgumentError({
      argument: 'unit',
      message: `must be 'tokens' or 'chars', got ${JSON.stringify(options.unit)}.`,
    });
  }
  if (!Number.isInteger(options.size) || options.size < 1) {
    throw new InvalidArgumentError({
      argument: 'size',
      message: `must be an integer ≥ 1, got ${options.size}.`,
    });
  }
  if (
    !Number.isInteger(options.overlap) ||
    options.overlap < 0 ||
    options.overlap >= options.size
  ) {
    throw new InvalidArgumentError({
      argument: 'overlap',
      message: `must be an integer ≥ 0 and below the size (${options.size}), got ${options.overlap}.`,
    });
  }
}
