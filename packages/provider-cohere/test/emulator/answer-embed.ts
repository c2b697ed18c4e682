import { randomUUID } from 'node:crypto';
import { words } from '@twostage/testkit';
import { type Answer, badRequest, unknownModel } from './emulator-answer.js';
import { hashedEmbedding } from './hashed-embedding.js';

/** Embedding models the emulator knows, with their vector lengths. */
const embedModels: Record<string, { native: number; choices?: number[] }> = {
  'embed-v4.0': { native: 1536, choices: [256, 512, 1024, 1536] },
  'embed-english-v3.0': { native: 1024 },
  'embed-multilingual-v3.0': { native: 1024 },
  'embed-english-light-v3.0': { native: 384 },
  'embed-multilingual-light-v3.0': { native: 384 },
};

/** A `/v2/embed` body, as the API description requires it. */
export type EmbedBody = {
  model: string;
  input_type: string;
  texts?: string[];
  images?: string[];
  inputs?: unknown[];
  output_dimension?: number;
  embedding_types?: string[];
};

/** Answers a valid `/v2/embed` request as the service does (texts only, float vectors). */
export function answerEmbed(body: EmbedBody): Answer {
  const model = embedModels[body.model];
  if (model === undefined) return unknownModel(body.model);
  const texts = body.texts;
  if (texts === undefined) {
    // The emulator embeds texts only (no images, no mixed inputs).
    return badRequest('the emulator supports texts only; texts must be provided');
  }
  let dimensions = model.native;
  if (body.output_dimension !== undefined) {
    if (!model.choices?.includes(body.output_dimension)) {
      return badRequest(
        `output_dimension ${body.output_dimension} is not supported for model ${body.model}`,
      );
    }
    dimensions = body.output_dimension;
  }
  const types = body.embedding_types ?? ['float'];
  const embeddings: Record<string, number[][]> = {};
  if (types.includes('float')) {
    embeddings.float = texts.map((text) => hashedEmbedding(text, dimensions));
  }
  const inputTokens = texts.reduce((total, text) => total + words(text).length, 0);
  const apiVersion = { version: '2' };
  return {
    status: 200,
    body: {
      id: randomUUID(),
      response_type: 'embeddings_by_type',
      embeddings,
      texts,
      meta: { api_version: apiVersion, billed_units: { input_tokens: inputTokens } },
      // The published description lists `api_version` as a required top-level property of
      // EmbedByTypeResponse; sent so that every response the emulator makes is valid against it
      // (the adapter ignores it).
      api_version: apiVersion,
    },
  };
}
