import type { Answer } from './emulator-http.js';
import { countTokens, ServiceError } from './emulator-index.js';
import { embedModels, rerankModels } from './emulator-models.js';
import { hashedEmbedding, relevanceScore } from './emulator-text.js';

/** `POST /embed`: the stand-in embedding models, with the limits of the real ones. */
export function embedAnswer(body: unknown): Answer {
  const request = body as {
    model: string;
    inputs: { text?: string }[];
    parameters?: Record<string, unknown>;
  };
  const model = embedModels[request.model];
  if (model === undefined)
    throw new ServiceError(400, 'INVALID_ARGUMENT', `Model '${request.model}' is not supported.`);
  if (request.inputs.length === 0 || request.inputs.length > model.maxBatch) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Batch size ${request.inputs.length} is outside 1..${model.maxBatch} for ${request.model}.`,
    );
  }
  const parameters = request.parameters ?? {};
  if (parameters.input_type !== 'query' && parameters.input_type !== 'passage') {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Parameter input_type must be 'query' or 'passage' for ${request.model}.`,
    );
  }
  const truncate = parameters.truncate ?? 'END';
  if (typeof truncate !== 'string' || !model.truncate.includes(truncate)) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Parameter truncate must be one of ${model.truncate.join(', ')}.`,
    );
  }
  const dimension = parameters.dimension ?? model.defaultDimension;
  if (typeof dimension !== 'number' || !model.dimensions.includes(dimension)) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Parameter dimension must be one of ${model.dimensions.join(', ')}.`,
    );
  }
  let totalTokens = 0;
  const data = request.inputs.map(({ text = '' }, position) => {
    const tokens = countTokens(text);
    if (truncate === 'NONE' && tokens > model.maxTokens) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Input ${position} has ${tokens} tokens, more than the ${model.maxTokens} of ${request.model}.`,
      );
    }
    totalTokens += Math.min(tokens, model.maxTokens);
    return { values: hashedEmbedding(text, dimension, model.maxTokens), vector_type: 'dense' };
  });
  return {
    status: 200,
    body: {
      model: request.model,
      vector_type: 'dense',
      data,
      usage: { total_tokens: totalTokens },
    },
  };
}

/** `POST /rerank`: the stand-in rerankers, with the limits of the real ones. */
export function rerankAnswer(body: unknown): Answer {
  const request = body as {
    model: string;
    query: string;
    documents: Record<string, unknown>[];
    top_n?: number;
    return_documents?: boolean;
    rank_fields?: string[];
    parameters?: Record<string, unknown>;
  };
  const model = rerankModels[request.model];
  if (model === undefined)
    throw new ServiceError(400, 'INVALID_ARGUMENT', `Model '${request.model}' is not supported.`);
  if (request.documents.length > model.maxDocuments) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `${request.documents.length} documents exceed the limit of ${model.maxDocuments} for ${request.model}.`,
    );
  }
  const rankFields = request.rank_fields ?? ['text'];
  if (rankFields.length !== 1 && !model.multipleRankFields) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `${request.model} supports only one rank field.`,
    );
  }
  const parameters = request.parameters ?? {};
  if (model.defaultTruncate === undefined && parameters.truncate !== undefined) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `${request.model} does not take the 'truncate' parameter.`,
    );
  }
  const truncate = parameters.truncate ?? model.defaultTruncate;
  if (truncate !== undefined && truncate !== 'END' && truncate !== 'NONE') {
    throw new ServiceError(400, 'INVALID_ARGUMENT', "Parameter truncate must be 'END' or 'NONE'.");
  }
  const queryTokens = countTokens(request.query);
  const scored = request.documents.map((document, index) => {
    const fields = rankFields.map((field) => {
      const value = document[field];
      if (typeof value !== 'string')
        throw new ServiceError(
          400,
          'INVALID_ARGUMENT',
          `Document ${index} has no string field '${field}'.`,
        );
      return value;
    });
    const text = fields.join('\n');
    const pairTokens = queryTokens + countTokens(text);
    if (truncate === 'NONE' && pairTokens > model.maxTokens) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Query and document ${index} take ${pairTokens} tokens, more than the ${model.maxTokens} of ${request.model}.`,
      );
    }
    return {
      index,
      score: relevanceScore(request.query, text, model.maxTokens - queryTokens),
      document,
    };
  });
  scored.sort((left, right) => right.score - left.score || left.index - right.index);
  const data = scored
    .slice(0, request.top_n ?? scored.length)
    .map(({ index, score, document }) => ({
      index,
      score,
      ...(request.return_documents === false ? {} : { document }),
    }));
  return { status: 200, body: { model: request.model, data, usage: { rerank_units: 1 } } };
}
