/**
 * Vector lengths of Cohere's embedding models.
 * @see https://docs.cohere.com/docs/cohere-embed
 */
export const cohereEmbeddingDimensions: Readonly<
  Record<string, { native: number; choices?: readonly number[] }>
> = {
  // embed-v4.0 lets the caller pick the length (`output_dimension`).
  'embed-v4.0': { native: 1536, choices: [256, 512, 1024, 1536] },
  'embed-english-v3.0': { native: 1024 },
  'embed-multilingual-v3.0': { native: 1024 },
  'embed-english-light-v3.0': { native: 384 },
  'embed-multilingual-light-v3.0': { native: 384 },
  'embed-english-v2.0': { native: 4096 },
  'embed-english-light-v2.0': { native: 1024 },
  'embed-multilingual-v2.0': { native: 768 },
};
