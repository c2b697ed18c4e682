/**
 * Seeded vectors clustered like real embeddings (a few dozen topics, each a direction plus
 * per-document noise), not i.i.d. noise, on which nearest-neighbour recall is meaningful.
 */
export function clusteredVectors(options: {
  count: number;
  dimensions: number;
  clusters: number;
  seed: number;
  spread?: number;
}): { vectors: Float32Array[]; centres: Float32Array[]; random: () => number } {
  let state = options.seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: options.clusters }, () =>
    Float32Array.from({ length: options.dimensions }, gaussian),
  );
  const spread = options.spread ?? 0.6;
  const vectors = Array.from({ length: options.count }, () => {
    const centre = centres[Math.floor(random() * centres.length)] as Float32Array;
    return Float32Array.from(centre, (value) => value + spread * gaussian());
  });
  return { vectors, centres, random };
}

/** A query near a random centre: the centre plus noise. */
export function queryNear(
  centres: Float32Array[],
  random: () => number,
  spread = 0.8,
): Float32Array {
  const centre = centres[Math.floor(random() * centres.length)] as Float32Array;
  return Float32Array.from(
    centre,
    (value) =>
      value +
      spread *
        Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) *
        Math.cos(2 * Math.PI * random()),
  );
}
