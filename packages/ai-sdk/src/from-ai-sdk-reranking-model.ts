/**
 * An AI SDK reranking model (`RerankingModelV3` / `V4`: Cohere, Voyage, Together, Bedrock, …)
 * as a twostage rerank stage.
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/rerank
 */
import type { JSONObject, RerankingModelV3CallOptions } from '@ai-sdk/provider';
import {
  InvalidArgumentError,
  InvalidResponseError,
  type RankedIndexV1,
  type RerankStageV1,
  type RerankStageV1CallOptions,
  type RerankStageV1Result,
  type ScoreKindV1,
} from '@twostage/core';
import { raceAbort, throwIfAborted, validateInteger } from '@twostage/core/provider-utils';
import { type AiSdkRerankingModel, aiSdkModelVersions } from './ai-sdk-models.js';
import {
  checkBridgeOptions,
  checkModelShape,
  checkOptionalName,
  definedHeaders,
  describeValue,
} from './check-bridge-arguments.js';
import { mapAiSdkError } from './map-ai-sdk-error.js';
import { fromAiSdkWarnings } from './map-warnings.js';
import { responseMetadata } from './response-metadata.js';
import { withoutTwostageOptions } from './without-twostage-options.js';

/** Options of {@link fromAiSdkRerankingModel}. */
export type FromAiSdkRerankingModelOptions = {
  /**
   * What the model's scores mean, which the AI SDK does not say: `probability` for calibrated
   * relevance in [0, 1] (Cohere, Voyage, Bedrock's Cohere and Amazon models), `logit` for raw
   * cross-encoder outputs, `similarity` for cosine-like values in [-1, 1]. Core checks the scores
   * against it and uses it for `minScore`.
   */
  scoreKind: ScoreKindV1;
  /**
   * The most documents the provider accepts in one call (Cohere: 1,000); core windows larger
   * inputs. The AI SDK declares no such limit, so it is unlimited unless given here.
   * @default undefined (unlimited)
   */
  maxDocumentsPerCall?: number;
  /**
   * The stage's `provider`, as `servedBy` and errors name it.
   * @default the model's `provider` (e.g. `cohere.reranking`)
   */
  provider?: string;
  /**
   * The stage's `modelId`.
   * @default the model's `modelId`
   */
  modelId?: string;
};

const optionNames = ['scoreKind', 'maxDocumentsPerCall', 'provider', 'modelId'] as const;
const scoreKinds: readonly ScoreKindV1[] = ['probability', 'logit', 'similarity'];

/**
 * Makes an AI SDK reranking model a twostage rerank stage, for `rerank()`, `twoStage()`,
 * middleware and fallback chains.
 *
 * Core's retries apply (call the AI SDK model directly, so there is no other retry layer): the
 * model's `APICallError` becomes an `ApiCallError` with its `isRetryable` and the wait its
 * `retry-after-ms` / `retry-after` header asks for, and the AI SDK's other errors map into the
 * twostage family (see `mapAiSdkError`). The reply is checked (every index an integer in range
 * and unique, every score finite), sorted by score and cut to `topN` (the AI SDK leaves both to
 * the provider), so a misbehaving provider fails with an `InvalidResponseError`.
 *
 * @example
 * import { cohere } from '@ai-sdk/cohere';
 * const reranker = fromAiSdkRerankingModel(cohere.reranking('rerank-v3.5'), { scoreKind: 'probability', maxDocumentsPerCall: 1000 });
 * @throws InvalidArgumentError when `model` is not an AI SDK v3 or v4 reranking model, when
 * `scoreKind` is missing or unknown, or for an unknown or malformed option
 */
export function fromAiSdkRerankingModel(
  model: AiSdkRerankingModel,
  options: FromAiSdkRerankingModelOptions,
): RerankStageV1 {
  checkModelShape(model, {
    argument: 'model',
    method: 'doRerank',
    versions: aiSdkModelVersions,
    kind: 'an AI SDK reranking model',
    hint: 'A twostage rerank stage is bridged the other way, with toAiSdkRerankingModel().',
  });
  const checked = checkBridgeOptions(options, optionNames, 'fromAiSdkRerankingModel()', {
    required: true,
  });
  const { scoreKind } = checked;
  if (!scoreKinds.includes(scoreKind as ScoreKindV1)) {
    throw new InvalidArgumentError({
      argument: 'options.scoreKind',
      message: `must be 'probability', 'logit' or 'similarity' (the AI SDK does not say what its scores mean), got ${describeValue(scoreKind)}.`,
    });
  }
  const limit =
    checked.maxDocumentsPerCall === undefined
      ? undefined
      : validateInteger(checked.maxDocumentsPerCall, 'options.maxDocumentsPerCall', {
          min: 1,
          allowInfinity: true,
        });
  const provider = checkOptionalName(checked.provider, 'options.provider') ?? model.provider;
  const modelId = checkOptionalName(checked.modelId, 'options.modelId') ?? model.modelId;

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    maxDocumentsPerCall: limit === Number.POSITIVE_INFINITY ? undefined : limit,
    scoreKind: scoreKind as ScoreKindV1,
    async doRerank(callOptions: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
      const { abortSignal } = callOptions;
      throwIfAborted(abortSignal);
      let reply: unknown;
      try {
        reply = await raceAbort(model.doRerank(toAiSdkCallOptions(callOptions)), abortSignal);
      } catch (error) {
        throw mapAiSdkError(error, { provider, modelId, abortSignal });
      }
      return fromAiSdkReply(reply, callOptions, { provider, modelId });
    },
  };
}

function toAiSdkCallOptions(callOptions: RerankStageV1CallOptions): RerankingModelV3CallOptions {
  const { documents, query, topN, abortSignal, headers, providerOptions } = callOptions;
  const result: RerankingModelV3CallOptions = {
    // Object documents are plain JSON in both contracts; the AI SDK provider renders them.
    documents:
      documents.type === 'text'
        ? { type: 'text', values: documents.values }
        : { type: 'object', values: documents.values as JSONObject[] },
    query,
  };
  if (topN !== undefined) result.topN = topN;
  if (abortSignal !== undefined) result.abortSignal = abortSignal;
  const defined = definedHeaders(headers);
  if (defined !== undefined) result.headers = defined;
  // Both sides key provider options by provider name; only the bridge's own key is taken out.
  const forwarded = withoutTwostageOptions(providerOptions);
  if (forwarded !== undefined) result.providerOptions = forwarded as Record<string, JSONObject>;
  return result;
}

function fromAiSdkReply(
  reply: unknown,
  callOptions: RerankStageV1CallOptions,
  stage: { provider: string; modelId: string },
): RerankStageV1Result {
  const invalid = (message: string) => new InvalidResponseError({ ...stage, message });
  const { ranking, warnings, response } = (reply ?? {}) as {
    ranking?: unknown;
    warnings?: unknown;
    response?: unknown;
  };
  if (!Array.isArray(ranking)) {
    throw invalid(`'ranking' must be an array, got ${describeValue(ranking)}.`);
  }
  const count = callOptions.documents.values.length;
  const seen = new Uint8Array(count);
  const entries: RankedIndexV1[] = [];
  for (let position = 0; position < ranking.length; position++) {
    const entry = ranking[position] as { index?: unknown; relevanceScore?: unknown } | null;
    const index = entry?.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
      throw invalid(
        `ranking[${position}].index must be an integer in [0, ${count - 1}], got ${describeValue(index)}.`,
      );
    }
    if (seen[index] === 1) throw invalid(`ranking[${position}].index ${index} appears twice.`);
    seen[index] = 1;
    const score = entry?.relevanceScore;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw invalid(
        `ranking[${position}].relevanceScore must be a finite number, got ${describeValue(score)}.`,
      );
    }
    entries.push({ index, score });
  }
  // The AI SDK's rerank() neither sorts nor cuts; the spec asks providers to, so check by doing.
  entries.sort((left, right) => right.score - left.score || left.index - right.index);
  if (callOptions.topN !== undefined && entries.length > callOptions.topN) {
    entries.length = callOptions.topN;
  }
  const result: RerankStageV1Result = { ranking: entries, warnings: fromAiSdkWarnings(warnings) };
  const metadata = responseMetadata(response);
  if (metadata !== undefined) result.response = metadata;
  return result;
}
