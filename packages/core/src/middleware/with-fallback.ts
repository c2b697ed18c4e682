import { AbortedError } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { RerankInputDocument } from '../rerank/prepare-rerank-documents.js';
import { runRerank } from '../rerank/rerank.js';
import type {
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
  ScoreKindV1,
} from '../spec/v1/rerank-stage-v1.js';
import type {
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
  RetrieveStageV1Result,
} from '../spec/v1/retrieve-stage-v1.js';
import type { JsonObject, WarningV1 } from '../spec/v1/shared-v1.js';
import { raceAbort } from '../util/race-abort.js';
import { describe, validateStage } from '../util/validate-arguments.js';

/**
 * A chain of stages of one kind, tried in order: the first that answers serves the call, and
 * each one skipped is named in a warning with its reason. Results say which stage answered
 * (`servedBy` on `rerank`, `retrieve` and `twoStage` results). The caller's abort stops the
 * chain at once; when every stage fails, the last one's error is thrown (so core's retry loop
 * may try the whole chain again if it is retryable).
 *
 * A rerank chain serves each call with ONE stage: it windows the documents for that stage
 * itself (by the stage's own `maxDocumentsPerCall`), because scores of different models are not
 * comparable and must never be merged into one ranking. Its `scoreKind` is the members' when
 * they agree, else `logit` (no range promised). A retrieve chain's `maxTopK` is its members'
 * smallest, so a `topK` fits every one. Put a breaker on a member (`withCircuitBreaker`) so a
 * dead first stage is skipped at once instead of costing a timeout per call.
 *
 * @example
 * const reranker = withFallback([cohere.reranker('rerank-multilingual-v3.0'), localOnnx.reranker('./model')]);
 * @throws InvalidArgumentError for an empty list, a value that is not a v1 stage, or stages of different kinds
 */
export function withFallback<STAGE extends RerankStageV1 | RetrieveStageV1>(
  stages: readonly STAGE[],
): STAGE {
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new InvalidArgumentError({
      argument: 'stages',
      message: `must be a non-empty array of stages of one kind, got ${describe(stages)}.`,
    });
  }
  const first = stages[0] as unknown as Record<string, unknown>;
  const method = typeof first?.doRerank === 'function' ? 'doRerank' : 'doRetrieve';
  stages.forEach((stage, index) => {
    validateStage(stage, `stages[${index}]`, method);
  });
  return (
    method === 'doRerank'
      ? rerankChain(stages as readonly RerankStageV1[])
      : retrieveChain(stages as readonly RetrieveStageV1[])
  ) as STAGE;
}

function labelOf(stage: { provider: string; modelId: string }): string {
  return `${stage.provider}:${stage.modelId}`;
}

function skipped(stage: { provider: string; modelId: string }, error: unknown): WarningV1 {
  return {
    type: 'other',
    message: `${labelOf(stage)} failed, so the next stage of the fallback chain was tried: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function rerankChain(stages: readonly RerankStageV1[]): RerankStageV1 {
  const kinds = new Set<ScoreKindV1>(stages.map((stage) => stage.scoreKind));
  const scoreKind: ScoreKindV1 =
    kinds.size === 1 ? (stages[0] as RerankStageV1).scoreKind : 'logit';
  return {
    specificationVersion: 'v1',
    provider: 'fallback',
    modelId: stages.map(labelOf).join(' → '),
    // The chain windows for whichever member serves the call, by that member's own limit.
    maxDocumentsPerCall: undefined,
    scoreKind,
    async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
      const documents = inputDocuments(options);
      const warnings: WarningV1[] = [];
      let lastError: unknown;
      for (const stage of stages) {
        try {
          const result = await runRerank<RerankInputDocument>(
            {
              model: stage,
              query: options.query,
              documents,
              topN: options.topN,
              maxRetries: 0, // the next stage is the retry; core's loop retries the chain
              maxConcurrency: 4,
              format: options.documents.type,
              abortSignal: options.abortSignal,
              timeoutMs: Number.POSITIVE_INFINITY, // the caller's deadline covers the chain
              ...(options.headers === undefined ? {} : { headers: options.headers }),
              ...(options.providerOptions === undefined
                ? {}
                : { providerOptions: options.providerOptions }),
            },
            performance.now(),
          );
          return {
            ranking: result.ranking.map(({ index, score }) => ({ index, score })),
            usage: result.usage,
            warnings: [...warnings, ...result.warnings],
            servedBy: result.servedBy,
          };
        } catch (error) {
          if (options.abortSignal?.aborted)
            throw new AbortedError({ reason: options.abortSignal.reason });
          lastError = error;
          warnings.push(skipped(stage, error));
        }
      }
      throw lastError;
    },
  };
}

/** The call's prepared documents as `rerank` inputs again (objects: text plus metadata). */
function inputDocuments(options: RerankStageV1CallOptions): RerankInputDocument[] {
  if (options.documents.type === 'text') return options.documents.values;
  return options.documents.values.map((value: JsonObject) => {
    const { text, ...metadata } = value;
    return { text: String(text), metadata: metadata as Record<string, never> };
  });
}

function retrieveChain(stages: readonly RetrieveStageV1[]): RetrieveStageV1 {
  const limits = stages.flatMap((stage) => (stage.maxTopK === undefined ? [] : [stage.maxTopK]));
  return {
    specificationVersion: 'v1',
    provider: 'fallback',
    modelId: stages.map(labelOf).join(' → '),
    maxTopK: limits.length === 0 ? undefined : Math.min(...limits),
    async doRetrieve(options: RetrieveStageV1CallOptions): Promise<RetrieveStageV1Result> {
      const warnings: WarningV1[] = [];
      let lastError: unknown;
      for (const stage of stages) {
        try {
          const result = await raceAbort(stage.doRetrieve(options), options.abortSignal);
          return {
            ...result,
            servedBy: typeof result.servedBy === 'string' ? result.servedBy : labelOf(stage),
            warnings: [...warnings, ...(result.warnings ?? [])],
          };
        } catch (error) {
          if (options.abortSignal?.aborted)
            throw new AbortedError({ reason: options.abortSignal.reason });
          lastError = error;
          warnings.push(skipped(stage, error));
        }
      }
      throw lastError;
    },
  };
}
