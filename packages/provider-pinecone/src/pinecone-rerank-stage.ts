import type {
  JsonObject,
  JsonValue,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
  WarningV1,
} from '@twostage/core';
import { InvalidArgumentError } from '@twostage/core';
import { validateInteger } from '@twostage/core/provider-utils';
import type { PineconeConnection } from './pinecone-connection.js';
import {
  isKnownRerankModel,
  type PineconeRerankModelId,
  type RerankModelLimits,
  rerankModelLimits,
} from './pinecone-models.js';
import { readProviderOptions } from './provider-options.js';

/** Settings of a Pinecone rerank stage. */
export type PineconeRerankSettings = {
  /**
   * The most documents per request; core windows larger inputs.
   * @default the model's limit (100 for bge-reranker-v2-m3 and pinecone-rerank-v0, 200 for
   *   cohere-rerank-3.5), 100 for a model this package does not know
   */
  maxDocumentsPerCall?: number;
  /**
   * What the model does with a query + document pair longer than its token limit: `END` cuts the
   * document, `NONE` rejects the request. Sent only to models that take the parameter.
   * @default 'END', so a long candidate is ranked on its beginning instead of failing the call
   */
  truncate?: 'END' | 'NONE';
  /**
   * For object documents on a model that ranks several fields (cohere-rerank-3.5): the fields to
   * rank on. Other models rank on one field, so their object documents are rendered as
   * `key: value` lines into `text` (with a `lossy-input` warning).
   * @default undefined (render into `text`)
   */
  rankFields?: readonly string[];
};

/**
 * A rerank stage over Pinecone's hosted rerankers (`POST /rerank` via `inference.rerank`).
 * Scores are relevance normalised to [0, 1] (`scoreKind: 'probability'`).
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/inference/rerank
 */
export class PineconeRerankStage implements RerankStageV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'pinecone';
  readonly modelId: string;
  readonly maxDocumentsPerCall: number;
  readonly scoreKind = 'probability';
  /** The token limit of one query + document pair, when the model is known. */
  readonly maxTokensPerPair: number | undefined;
  private readonly limits: RerankModelLimits | undefined;

  constructor(
    private readonly connection: PineconeConnection,
    modelId: PineconeRerankModelId | (string & {}),
    private readonly settings: PineconeRerankSettings = {},
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: 'must be a non-empty string.',
      });
    }
    this.modelId = modelId;
    this.limits = isKnownRerankModel(modelId) ? rerankModelLimits[modelId] : undefined;
    this.maxDocumentsPerCall = validateInteger(
      settings.maxDocumentsPerCall ?? this.limits?.maxDocumentsPerCall ?? 100,
      'maxDocumentsPerCall',
      { min: 1, max: 10_000 },
    );
    this.maxTokensPerPair = this.limits?.maxTokensPerPair;
  }

  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    const warnings: WarningV1[] = [];
    const { documents, rankFields } = this.prepareDocuments(options.documents, warnings);
    const parameters: Record<string, string> = {};
    if (this.limits?.truncate !== false) parameters.truncate = this.settings.truncate ?? 'END';
    const extra = readProviderOptions(options.providerOptions).parameters;
    if (extra !== undefined) Object.assign(parameters, extra);

    const result = await this.connection.run(
      'rerank',
      (client) =>
        client.inference.rerank({
          model: this.modelId,
          query: options.query,
          documents,
          ...(options.topN === undefined ? {} : { topN: options.topN }),
          // The caller already holds the documents; echoing them back only costs bandwidth.
          returnDocuments: false,
          ...(rankFields === undefined ? {} : { rankFields: [...rankFields] }),
          parameters,
        }),
      { abortSignal: options.abortSignal, headers: options.headers },
    );

    const ranking = result.data
      .map(({ index, score }) => ({ index, score }))
      .sort((left, right) => right.score - left.score || left.index - right.index);
    const stageResult: RerankStageV1Result = {
      ranking,
      response: { modelId: result.model },
      warnings,
    };
    if (result.usage.rerankUnits !== undefined) {
      stageResult.usage = { searchUnits: result.usage.rerankUnits };
    }
    return stageResult;
  }

  private prepareDocuments(
    input: RerankStageV1CallOptions['documents'],
    warnings: WarningV1[],
  ): { documents: Array<string | Record<string, string>>; rankFields?: readonly string[] } {
    if (input.type === 'text') return { documents: input.values };
    const { rankFields } = this.settings;
    if (rankFields !== undefined && this.limits?.multipleRankFields !== false) {
      let stringified = false;
      const documents = input.values.map((value) =>
        Object.fromEntries(
          Object.entries(value)
            .filter((entry): entry is [string, JsonValue] => entry[1] !== undefined)
            .map(([key, field]) => {
              if (typeof field === 'string') return [key, field];
              stringified = true;
              return [key, JSON.stringify(field)];
            }),
        ),
      );
      if (stringified) {
        warnings.push({
          type: 'lossy-input',
          details:
            'Pinecone rerank documents hold strings only; other field values were sent as JSON text.',
        });
      }
      return { documents, rankFields };
    }
    if (input.values.some((value) => !isTextOnly(value))) {
      warnings.push({
        type: 'lossy-input',
        details: `${this.modelId} ranks one field; object documents were rendered as 'key: value' lines into 'text'.`,
      });
    }
    return { documents: input.values.map((value) => ({ text: renderObject(value) })) };
  }
}

function isTextOnly(value: JsonObject): boolean {
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  return keys.length === 1 && keys[0] === 'text' && typeof value.text === 'string';
}

/** `text` alone when that is all there is, else every field as `key: value` lines. */
function renderObject(value: JsonObject): string {
  if (isTextOnly(value)) return value.text as string;
  return Object.entries(value)
    .filter((entry): entry is [string, JsonValue] => entry[1] !== undefined)
    .map(([key, field]) => `${key}: ${typeof field === 'string' ? field : JSON.stringify(field)}`)
    .join('\n');
}
