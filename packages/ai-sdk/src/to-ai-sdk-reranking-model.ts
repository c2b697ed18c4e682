/**
 * A twostage rerank stage as an AI SDK reranking model (`RerankingModelV3`), for `rerank()` of
 * `ai` 6 and 7 (7 adapts v3 models).
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/rerank
 */
import type { JSONObject, RerankingModelV3, RerankingModelV3CallOptions } from '@ai-sdk/provider';
import {
  InvalidArgumentError,
  type RerankOptions,
  type RerankResult,
  type RerankStageV1,
  rerank,
} from '@twostage/core';
import {
  type BridgeCallSettings,
  bridgeCallSettingNames,
  checkBridgeCallSettings,
} from './bridge-call-settings.js';
import {
  checkBridgeOptions,
  checkModelShape,
  checkOptionalName,
  definedHeaders,
  describeValue,
} from './check-bridge-arguments.js';
import { toAiSdkWarnings } from './map-warnings.js';
import { withoutTwostageOptions } from './without-twostage-options.js';

/** Options of {@link toAiSdkRerankingModel}. */
export type ToAiSdkRerankingModelOptions = BridgeCallSettings & {
  /**
   * The model's `provider`, as the AI SDK reports it.
   * @default the stage's `provider`
   */
  provider?: string;
  /**
   * The model's `modelId`, as the AI SDK reports it.
   * @default the stage's `modelId`
   */
  modelId?: string;
};

const optionNames = ['provider', 'modelId', ...bridgeCallSettingNames] as const;

/**
 * Makes a twostage rerank stage usable by the AI SDK's `rerank()`.
 *
 * The AI SDK sends every document in one `doRerank` call and never windows; the bridge runs each
 * call through core's `rerank()`, so the stage's `maxDocumentsPerCall` still holds, windows run
 * with core's concurrency limit, and the ranking comes back merged, sorted by score and cut to
 * `topN` (which the AI SDK leaves to the model). Object documents reach the stage as
 * `{ type: 'object' }` documents, unchanged, and each adapter renders them its own way.
 *
 * Retries: core retries retryable failures (`maxRetries`, default 2). Failures surface as the
 * twostage errors they are (`ApiCallError`, `AbortedError`, `RetryError`, …), not as the AI
 * SDK's `APICallError`, on purpose: the AI SDK retries only its own `APICallError`, so a request
 * is never retried in two layers, and the caller sees twostage's error family on both sides.
 *
 * The result carries core's summary as `providerMetadata.twostage` (`servedBy`, `calls`,
 * `totalMs` and the usage the stage reported).
 *
 * @example
 * import { rerank } from 'ai';
 * const { ranking } = await rerank({ model: toAiSdkRerankingModel(reranker), query, documents, topN: 5 });
 * @throws InvalidArgumentError when `stage` is not a twostage v1 rerank stage, or for an unknown
 * or malformed option
 */
export function toAiSdkRerankingModel(
  stage: RerankStageV1,
  options?: ToAiSdkRerankingModelOptions,
): RerankingModelV3 {
  checkModelShape(stage, {
    argument: 'stage',
    method: 'doRerank',
    versions: ['v1'],
    kind: 'a twostage rerank stage',
    hint: 'An AI SDK reranking model is bridged the other way, with fromAiSdkRerankingModel().',
  });
  const checked = checkBridgeOptions(options, optionNames, 'toAiSdkRerankingModel()');
  const settings = checkBridgeCallSettings(checked);
  const provider = checkOptionalName(checked.provider, 'options.provider') ?? stage.provider;
  const modelId = checkOptionalName(checked.modelId, 'options.modelId') ?? stage.modelId;

  return {
    specificationVersion: 'v3',
    provider,
    modelId,
    async doRerank(callOptions: RerankingModelV3CallOptions) {
      const timestamp = new Date();
      const result = await rerankThroughCore(stage, callOptions, settings);
      const response = toAiSdkResponse(result, timestamp);
      return {
        ranking: result.ranking.map(({ index, score }) => ({ index, relevanceScore: score })),
        warnings: toAiSdkWarnings(result.warnings),
        providerMetadata: { twostage: summaryOf(result) },
        ...(response === undefined ? {} : { response }),
      };
    },
  };
}

function rerankThroughCore(
  stage: RerankStageV1,
  callOptions: RerankingModelV3CallOptions,
  settings: BridgeCallSettings,
): Promise<RerankResult<string>> {
  const { documents, query, topN, abortSignal, headers, providerOptions } = callOptions;
  const values = checkDocuments(documents);
  const coreOptions: RerankOptions<string> = {
    model: stage,
    query,
    documents: values as string[],
    ...settings,
  };
  if (topN !== undefined) coreOptions.topN = topN;
  if (abortSignal !== undefined) coreOptions.abortSignal = abortSignal;
  const defined = definedHeaders(headers);
  if (defined !== undefined) coreOptions.headers = defined;
  const forwarded = withoutTwostageOptions(providerOptions);
  if (forwarded !== undefined) coreOptions.providerOptions = forwarded;
  if (documents.type === 'object') {
    // Core windows strings; each window's positions come back to the stage as its objects, so
    // the stage sees `{ type: 'object' }` documents exactly as core would send them.
    const objects = values as JSONObject[];
    coreOptions.documents = objects.map((_, index) => String(index));
    coreOptions.model = objectDocumentStage(stage, objects);
  }
  return rerank(coreOptions);
}

function checkDocuments(documents: unknown): readonly unknown[] {
  const { type, values } = (documents ?? {}) as { type?: unknown; values?: unknown };
  if ((type !== 'text' && type !== 'object') || !Array.isArray(values)) {
    throw new InvalidArgumentError({
      argument: 'documents',
      message: `must be { type: 'text' | 'object', values: [...] }, got ${describeValue(documents)}.`,
    });
  }
  if (type === 'object') {
    for (let index = 0; index < values.length; index++) {
      const value: unknown = values[index];
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new InvalidArgumentError({
          argument: `documents.values[${index}]`,
          message: `must be a JSON object, got ${describeValue(value)}.`,
        });
      }
    }
  }
  return values;
}

/** `stage`, taking each window as positions into `objects` and passing the objects on. */
function objectDocumentStage(stage: RerankStageV1, objects: readonly JSONObject[]): RerankStageV1 {
  return {
    specificationVersion: 'v1',
    provider: stage.provider,
    modelId: stage.modelId,
    maxDocumentsPerCall: stage.maxDocumentsPerCall,
    scoreKind: stage.scoreKind,
    doRerank: (windowOptions) =>
      stage.doRerank({
        ...windowOptions,
        documents: {
          type: 'object',
          values: windowOptions.documents.values.map(
            (position) => objects[Number(position)] as JSONObject,
          ),
        },
      }),
  };
}

/** One window's response as it came; several windows' responses in the body, in window order. */
function toAiSdkResponse(result: RerankResult<string>, timestamp: Date) {
  const [first, ...others] = result.responses;
  if (first === undefined) return { timestamp };
  if (others.length > 0) return { timestamp, body: result.responses };
  return {
    timestamp,
    ...(first.id === undefined ? {} : { id: first.id }),
    ...(first.modelId === undefined ? {} : { modelId: first.modelId }),
    ...(first.headers === undefined ? {} : { headers: first.headers }),
    ...(first.body === undefined ? {} : { body: first.body }),
  };
}

function summaryOf(result: RerankResult<string>): JSONObject {
  const summary: JSONObject = {
    servedBy: result.servedBy,
    calls: result.timings.calls,
    totalMs: result.timings.totalMs,
  };
  for (const [name, value] of Object.entries(result.usage)) {
    if (typeof value === 'number') summary[name] = value;
  }
  return summary;
}
