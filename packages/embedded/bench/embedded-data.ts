/**
 * Synthetic data for the embedded-retrieval bench: chunk texts of 40–120 words drawn from a Zipf
 * vocabulary of 30k words (so common words are very common, and most queries contain one), and
 * 384-d vectors clustered like real embeddings — a shared direction (anisotropy), 20 topics of 25
 * subtopics each, and per-document noise — rather than i.i.d. noise, on which recall means nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gaussian, seededRandom } from '../src/seeded-random.js';
import { decodeStrings, encodeStrings } from '../src/string-table.js';

export const benchDimensions = 384;
const vocabularySize = 30_000;
const topics = 20;
const subtopicsPerTopic = 25;

/** One generated corpus with its queries. */
export type BenchData = {
  ids: string[];
  texts: string[];
  /** count × 384, row-major, L2-normalised. */
  vectors: Float32Array;
  queries: string[];
  /** queries × 384, row-major, L2-normalised. */
  queryVectors: Float32Array;
};

function vocabulary(random: () => number): string[] {
  const syllables = [
    'ba',
    'ko',
    'ri',
    'tu',
    'me',
    'sa',
    'lo',
    'ni',
    'da',
    've',
    'pu',
    'ga',
    'zo',
    'fi',
    'he',
    'ju',
    'xa',
    'qe',
    'wi',
    'yo',
  ];
  const words = new Set<string>();
  while (words.size < vocabularySize) {
    const length = 1 + Math.floor(random() * 4);
    let word = '';
    for (let index = 0; index < length; index++)
      word += syllables[Math.floor(random() * syllables.length)];
    words.add(word);
  }
  return [...words];
}

function zipfSampler(random: () => number, size: number): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    total += 1 / (rank + 1);
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

function normalizeRow(vectors: Float32Array, row: number): void {
  const start = row * benchDimensions;
  let sum = 0;
  for (let index = start; index < start + benchDimensions; index++)
    sum += (vectors[index] as number) ** 2;
  const scale = 1 / Math.sqrt(sum);
  for (let index = start; index < start + benchDimensions; index++)
    vectors[index] = (vectors[index] as number) * scale;
}

/** Generates `count` chunks and `queryCount` queries, deterministically from `seed`. */
export function generateBenchData(count: number, queryCount: number, seed = 42): BenchData {
  const random = seededRandom(seed);
  const words = vocabulary(random);
  const nextWord = zipfSampler(random, words.length);
  const texts = Array.from({ length: count }, () => {
    const length = 40 + Math.floor(random() * 81);
    return Array.from({ length }, () => words[nextWord()]).join(' ');
  });
  const queries = Array.from({ length: queryCount }, () => {
    const length = 2 + Math.floor(random() * 4);
    return Array.from({ length }, () => words[nextWord()]).join(' ');
  });

  const shared = Float32Array.from({ length: benchDimensions }, () => gaussian(random));
  const topicCentres = Array.from({ length: topics }, () =>
    Float32Array.from({ length: benchDimensions }, () => gaussian(random)),
  );
  const centres = Array.from({ length: topics * subtopicsPerTopic }, (_, index) => {
    const topic = topicCentres[Math.floor(index / subtopicsPerTopic)] as Float32Array;
    return Float32Array.from(
      topic,
      (value, dimension) => 0.5 * (shared[dimension] as number) + value + 0.7 * gaussian(random),
    );
  });
  const fill = (rows: number, noise: number): Float32Array => {
    const vectors = new Float32Array(rows * benchDimensions);
    for (let row = 0; row < rows; row++) {
      const centre = centres[Math.floor(random() * centres.length)] as Float32Array;
      for (let dimension = 0; dimension < benchDimensions; dimension++) {
        vectors[row * benchDimensions + dimension] =
          (centre[dimension] as number) + noise * gaussian(random);
      }
      normalizeRow(vectors, row);
    }
    return vectors;
  };
  return {
    ids: Array.from({ length: count }, (_, index) => `chunk-${index}`),
    texts,
    vectors: fill(count, 0.8),
    queries,
    queryVectors: fill(queryCount, 1.0),
  };
}

/** Writes `strings` as a string table: `<name>.bin` (UTF-8) and `<name>.ends` (UTF-16 ends). */
async function writeStrings(directory: string, name: string, strings: string[]): Promise<void> {
  const { blob, ends } = encodeStrings(strings);
  await writeFile(join(directory, `${name}.bin`), blob);
  await writeFile(join(directory, `${name}.ends`), ends);
}

async function readStrings(directory: string, name: string): Promise<string[]> {
  const blob = await readFile(join(directory, `${name}.bin`));
  const ends = await readFile(join(directory, `${name}.ends`));
  return decodeStrings(
    blob,
    new Uint32Array(ends.buffer.slice(ends.byteOffset, ends.byteOffset + ends.byteLength)),
  );
}

/**
 * Writes a dataset to `directory` so that each measured case can load it in a fresh process.
 * Texts go as string tables, not one JSON document: a million chunks are more text than V8's
 * longest string holds.
 */
export async function writeBenchData(directory: string, data: BenchData): Promise<void> {
  await writeStrings(directory, 'ids', data.ids);
  await writeStrings(directory, 'texts', data.texts);
  await writeStrings(directory, 'queries', data.queries);
  await writeFile(join(directory, 'vectors.bin'), data.vectors);
  await writeFile(join(directory, 'query-vectors.bin'), data.queryVectors);
}

/** Reads what {@link writeBenchData} wrote. */
export async function readBenchData(directory: string): Promise<BenchData> {
  const asFloats = (buffer: Buffer) =>
    new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  return {
    ids: await readStrings(directory, 'ids'),
    texts: await readStrings(directory, 'texts'),
    queries: await readStrings(directory, 'queries'),
    vectors: asFloats(await readFile(join(directory, 'vectors.bin'))),
    queryVectors: asFloats(await readFile(join(directory, 'query-vectors.bin'))),
  };
}
