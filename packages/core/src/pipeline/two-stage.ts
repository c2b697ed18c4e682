import { AbortedError } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  type LongDocumentOptions,
  type LongDocumentSettings,
  validateLongDocumentOptions,
} from '../long-documents/long-document-options.js';
import type { RerankDocumentFormat } from '../rerank/prepare-rerank-documents.js';
import { type RerankPlan, runRerank } from '../rerank/rerank.js';
import {
  runRetrieve,
  validateFilterArgument,
  validateNamespaceArgument,
  validateTopK,
} from '../retrieve/retrieve.js';
import type { RerankStageV1, TextSpanV1 } from '../spec/v1/rerank-stage-v1.js';
import type {
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
} from '../spec/v1/retrieve-stage-v1.js';
import type {
  DocumentMetadata,
  HeadersV1,
  MetadataFilter,
  ProviderOptionsV1,
  WarningV1,
} from '../spec/v1/shared-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { traceSpan } from '../util/trace-span.js';
import {
  describe,
  describeChoice,
  validateAbortSignal,
  validateInteger,
  validateOptionsObject,
  validateQuery,
  validateStage,
} from '../util/validate-arguments.js';
import { loneSurrogateWarning, toWellFormed } from '../util/well-formed-text.js';
import {
  type Deadline,
  defaultTimeoutMs,
  validateDeadlineMs,
  withDeadline,
} from '../util/with-deadline.js';
import {
  emitStageEvent,
  rankDisplacement,
  type StageEndEvent,
  type StageListeners,
  type StageStartEvent,
} from './stage-events.js';

/** What to do when the reranker fails: `throw` its error, or `fallback` to stage-1 order. */
export type RerankErrorPolicy = 'throw' | 'fallback';

/** The options of a two-stage search, all but the query (see {@link createPipeline}). */
export type PipelineOptions = {
  /** Stage 1: casts the wide net (vector, lexical or hybrid search). */
  retriever: RetrieveStageV1;
  /** Stage 2: the authority that orders the candidates (a cross-encoder). */
  reranker: RerankStageV1;
  /**
   * How many candidates stage 1 fetches (the reranker's input). Too few loses recall that no
   * reranker can win back; too many costs rerank time.
   * @default 50, or the retriever's `maxTopK` when that is smaller
   */
  retrieveTopK?: number;
  /**
   * How many results stage 2 keeps.
   * @default 5
   */
  rerankTopN?: number;
  /** A metadata filter for stage 1, in Pinecone's language. */
  filter?: MetadataFilter;
  /** A partition of the stage-1 index. */
  namespace?: string;
  /**
   * Drops results whose rerank score is below this. The score's meaning follows the reranker's
   * `scoreKind`: a `probability` threshold (in [0, 1]) carries across calibrated models, but a
   * `logit` threshold is specific to one model, so using one adds a warning (swapping the
   * reranker by configuration silently changes what the threshold means). Not applied to a
   * fallback result, which has no rerank scores.
   * @default no threshold
   */
  minScore?: number;
  /**
   * `throw`: a reranker failure rejects the search. `fallback`: it returns the first
   * `rerankTopN` candidates in stage-1 order with `rerankScore: null`, `degraded: true` and the
   * reason in `warnings` (fail-open). The caller's abort always rejects, whatever the policy.
   * @default 'throw'
   */
  onRerankError?: RerankErrorPolicy;
  /**
   * Retries of each stage call after a retryable failure.
   * @default 2
   */
  maxRetries?: number;
  /**
   * The most rerank calls in flight when the candidates span several reranker windows.
   * @default 4
   */
  maxConcurrency?: number;
  /**
   * How candidates are sent to the reranker: their text, or `{ ...metadata, text }` objects.
   * @default 'text'
   */
  documentFormat?: RerankDocumentFormat;
  /**
   * Long candidates: `truncate` (the model reads their beginning) or `chunk-max` (their best
   * window counts, reported as the result's `chunk`); see `rerank`'s `longDocuments`.
   * @default { strategy: 'truncate' }
   */
  longDocuments?: LongDocumentOptions;
  /** Cancels the search: it rejects promptly with an `AbortedError`. */
  abortSignal?: AbortSignal;
  /**
   * The deadline of the whole search, both stages, retries and backoff waits included: past it
   * the search rejects with a `TimeoutError` (whatever `onRerankError` says). `Infinity` for none.
   * @default 90000
   */
  timeoutMs?: number;
  /**
   * A deadline for stage 2 alone. A reranker that outlasts it has failed like any other failure,
   * so with `onRerankError: 'fallback'` the search returns stage-1 order, degraded, in time.
   * @default no deadline of its own (the search's `timeoutMs` still applies)
   */
  rerankTimeoutMs?: number;
  /** Called when a stage begins (timings, counts, which model). Must not throw; if it does, the search goes on with a warning. */
  onStageStart?: (event: StageStartEvent) => void;
  /**
   * Called when a stage ends, well or not: its duration, counts, retries (model calls), cache
   * hits, which stage answered (`servedBy`), whether the search degraded, and how far
   * re-ranking moved the results. Must not throw; if it does, the search goes on with a warning.
   */
  onStageEnd?: (event: StageEndEvent) => void;
  /** Extra HTTP headers for both stages (a tracing id, a gateway's routing header). */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name (so each stage reads its own). */
  providerOptions?: ProviderOptionsV1;
};

/**
 * Every option of a pipeline; any other name is refused (plain-JS typos).
 * @internal
 */
export const pipelineOptionNames = [
  'retriever',
  'reranker',
  'retrieveTopK',
  'rerankTopN',
  'filter',
  'namespace',
  'minScore',
  'onRerankError',
  'maxRetries',
  'maxConcurrency',
  'documentFormat',
  'longDocuments',
  'abortSignal',
  'timeoutMs',
  'rerankTimeoutMs',
  'onStageStart',
  'onStageEnd',
  'headers',
  'providerOptions',
] as const satisfies readonly (keyof PipelineOptions)[];

const twoStageOptionNames = [...pipelineOptionNames, 'query'] as const;

/** Options of {@link twoStage}. */
export type TwoStageOptions = PipelineOptions & {
  /** The query; must not be blank. */
  query: string;
};

/** One result of a two-stage search. */
export type TwoStageResultItem = {
  /** The document's id, from stage 1. */
  id: string;
  /** The document's text, as stage 1 returned it. */
  text: string;
  /** The document's metadata (`{}` when it has none). */
  metadata: DocumentMetadata;
  /**
   * The reranker's score: the only key results are sorted on. `null` in a degraded (fallback)
   * result, where the reranker gave none (null rather than absent so it survives JSON).
   */
  rerankScore: number | null;
  /** Stage 1's score, for inspection only: never blended into the order. */
  retrieveScore: number;
  /** The document's 1-based position in stage 1's candidates, for inspection. */
  retrieveRank: number;
  /** With `longDocuments: { strategy: 'chunk-max' }`: the window of `text` that gave the score. */
  chunk?: TextSpanV1;
};

/** What {@link twoStage} returns. */
export type TwoStageResult = {
  /** The best documents, by rerank score descending (or stage-1 order when `degraded`). */
  results: TwoStageResultItem[];
  /** Wall times in milliseconds; `rerankMs` is 0 when stage 1 found nothing. */
  timings: { retrieveMs: number; rerankMs: number; totalMs: number };
  /**
   * `provider:modelId` of the stages that answered (a fallback chain's member, say); `reranker`
   * is `null` when no reranker answered (degraded, or nothing to rerank).
   */
  servedBy: { retriever: string; reranker: string | null };
  /** Whether the reranker failed and the results are in stage-1 order (`onRerankError: 'fallback'`). */
  degraded: boolean;
  /** Both stages' warnings and the pipeline's own (the fallback reason, a doubtful `minScore`). */
  warnings: WarningV1[];
  /** The reranker's error, when `degraded`. */
  rerankError?: unknown;
};

/**
 * A two-stage search: stage 1 retrieves `retrieveTopK` candidates, stage 2 reranks them and
 * keeps the best `rerankTopN`. Results are sorted on the rerank score only; the stage-1 score
 * and rank are kept for inspection. Each stage's wall time is reported. When stage 1 finds
 * nothing, the reranker is not called.
 *
 * @throws InvalidArgumentError for a blank query or an option out of range (checked before any
 * stage runs)
 * @throws AbortedError when `abortSignal` fires, whatever `onRerankError` says
 * @throws TimeoutError when the search outlasts `timeoutMs`, whatever `onRerankError` says
 */
export async function twoStage(options: TwoStageOptions): Promise<TwoStageResult> {
  const startedAt = performance.now();
  validateOptionsObject(options);
  checkOptionNames(options, twoStageOptionNames, 'twoStage()');
  validateQuery(options.query);
  return runTwoStage(validatePipelineOptions(options), options.query, startedAt);
}

/**
 * Runs a two-stage search on checked settings: each stage runs on core's internal,
 * already-validated variants of `retrieve` and `rerank`, so one call validates its options once.
 * @internal
 */
export function runTwoStage(
  settings: PipelineSettings,
  query: string,
  startedAt: number,
): Promise<TwoStageResult> {
  const names = {
    'twostage.retriever': `${settings.retriever.provider}:${settings.retriever.modelId}`,
    'twostage.reranker': `${settings.reranker.provider}:${settings.reranker.modelId}`,
  };
  return traceSpan('twostage.twoStage', names, async (setAttributes) => {
    const result = await withDeadline(
      'twoStage',
      settings.timeoutMs,
      settings.abortSignal,
      (signal, deadline) =>
        runStages({ ...settings, abortSignal: signal }, deadline, query, startedAt),
    );
    setAttributes({
      'twostage.results': result.results.length,
      'twostage.degraded': result.degraded,
    });
    return result;
  });
}

async function runStages(
  settings: PipelineSettings,
  deadline: Deadline | undefined,
  callerQuery: string,
  startedAt: number,
): Promise<TwoStageResult> {
  const { retriever, reranker, abortSignal } = settings;
  // Both stages see the same well-formed query; the warning is given once, here.
  const query = toWellFormed(callerQuery);
  const retrieveCall: RetrieveStageV1CallOptions = { query, topK: settings.retrieveTopK };
  if (settings.filter !== undefined) retrieveCall.filter = settings.filter;
  if (settings.namespace !== undefined) retrieveCall.namespace = settings.namespace;
  if (abortSignal !== undefined) retrieveCall.abortSignal = abortSignal;
  if (settings.headers !== undefined) retrieveCall.headers = settings.headers;
  if (settings.providerOptions !== undefined) {
    retrieveCall.providerOptions = settings.providerOptions;
  }
  const { listeners } = settings;
  const eventWarnings: WarningV1[] = [];
  const retrieverName = `${retriever.provider}:${retriever.modelId}`;
  emitStageEvent(
    listeners.onStageStart,
    { stage: 'retrieve', model: retrieverName, query: callerQuery },
    eventWarnings,
  );
  let retrieved: Awaited<ReturnType<typeof runRetrieve>>;
  try {
    retrieved = await traceSpan(
      'twostage.retrieve',
      { 'twostage.model': retrieverName, 'twostage.top_k': settings.retrieveTopK },
      async (setAttributes) => {
        const answer = await runRetrieve(
          {
            retriever,
            callOptions: retrieveCall,
            maxRetries: settings.maxRetries,
            timeoutMs: Number.POSITIVE_INFINITY, // the search's own deadline covers it
            deadline,
          },
          startedAt,
        );
        setAttributes({
          'twostage.served_by': answer.servedBy,
          'twostage.candidates': answer.candidates.length,
        });
        return answer;
      },
    );
  } catch (error) {
    const durationMs = performance.now() - startedAt;
    const event = {
      stage: 'retrieve' as const,
      model: retrieverName,
      servedBy: null,
      durationMs,
      count: 0,
      error,
    };
    emitStageEvent(listeners.onStageEnd, event, eventWarnings);
    throw error;
  }
  const retrievedAt = performance.now();
  const { candidates } = retrieved;
  const warnings: WarningV1[] = [...eventWarnings, ...retrieved.warnings];
  emitStageEvent(
    listeners.onStageEnd,
    {
      stage: 'retrieve',
      model: retrieverName,
      servedBy: retrieved.servedBy,
      durationMs: retrievedAt - startedAt,
      count: candidates.length,
    },
    warnings,
  );
  if (query !== callerQuery) warnings.push(loneSurrogateWarning(['query']));
  if (settings.rerankTopN > settings.retrieveTopK) {
    warnings.push({
      type: 'other',
      message: `rerankTopN ${settings.rerankTopN} is larger than retrieveTopK ${settings.retrieveTopK}: stage 2 only reorders stage 1's candidates, so at most ${settings.retrieveTopK} results can come back.`,
    });
  }

  if (candidates.length === 0) {
    return {
      results: [],
      timings: {
        retrieveMs: retrievedAt - startedAt,
        rerankMs: 0,
        totalMs: retrievedAt - startedAt,
      },
      servedBy: { retriever: retrieved.servedBy, reranker: null },
      degraded: false,
      warnings,
    };
  }

  let results: TwoStageResultItem[];
  let rerankedBy: string | null = null;
  const rerankerName = `${reranker.provider}:${reranker.modelId}`;
  try {
    const rerankPlan: RerankPlan<RetrievedCandidateV1> = {
      model: reranker,
      query,
      documents: candidates,
      topN: settings.rerankTopN,
      maxRetries: settings.maxRetries,
      maxConcurrency: settings.maxConcurrency,
      format: settings.documentFormat,
      abortSignal,
      timeoutMs: Number.POSITIVE_INFINITY,
      deadline,
      longDocuments: settings.longDocuments,
    };
    if (settings.headers !== undefined) rerankPlan.headers = settings.headers;
    if (settings.providerOptions !== undefined) {
      rerankPlan.providerOptions = settings.providerOptions;
    }
    emitStageEvent(
      listeners.onStageStart,
      { stage: 'rerank', model: rerankerName, query: callerQuery, candidates: candidates.length },
      warnings,
    );
    const rerankStartedAt = performance.now();
    const reranked = await traceSpan(
      'twostage.rerank',
      { 'twostage.model': rerankerName, 'twostage.candidates': candidates.length },
      async (setAttributes) => {
        const answer = await withDeadline(
          'rerank',
          settings.rerankTimeoutMs,
          abortSignal,
          (signal, rerankDeadline) =>
            runRerank(
              { ...rerankPlan, abortSignal: signal, deadline: earlier(deadline, rerankDeadline) },
              rerankStartedAt,
            ),
        );
        setAttributes({
          'twostage.served_by': answer.servedBy,
          'twostage.calls': answer.timings.calls,
          'twostage.cache_hits': answer.usage.cacheHits,
        });
        return answer;
      },
    );
    rerankedBy = reranked.servedBy;
    for (const warning of reranked.warnings) warnings.push(warning);
    results = [];
    for (const { index, score, document, chunk } of reranked.ranking) {
      if (settings.minScore !== undefined && score < settings.minScore) continue;
      const item = toResultItem(document, score, index);
      if (chunk !== undefined) item.chunk = chunk;
      results.push(item);
    }
    if (settings.minScore !== undefined) {
      const warning = minScoreWarning(reranker, settings.minScore);
      if (warning !== undefined) warnings.push(warning);
    }
    const rerankEnd: StageEndEvent = {
      stage: 'rerank',
      model: rerankerName,
      servedBy: reranked.servedBy,
      durationMs: performance.now() - rerankStartedAt,
      count: results.length,
      calls: reranked.timings.calls,
      degraded: false,
      displacement: rankDisplacement(results),
    };
    if (reranked.usage.cacheHits !== undefined) rerankEnd.cacheHits = reranked.usage.cacheHits;
    if (reranked.usage.cacheMisses !== undefined)
      rerankEnd.cacheMisses = reranked.usage.cacheMisses;
    emitStageEvent(listeners.onStageEnd, rerankEnd, warnings);
  } catch (error) {
    emitStageEvent(
      listeners.onStageEnd,
      {
        stage: 'rerank',
        model: rerankerName,
        servedBy: null,
        durationMs: performance.now() - retrievedAt,
        count: 0,
        degraded: !abortSignal?.aborted && settings.onRerankError === 'fallback',
        error,
      },
      warnings,
    );
    // The caller's abort is their decision, never a reranker failure to paper over. An
    // AbortedError the caller did not cause (a stage cancelling its own work on a timeout) is a
    // reranker failure like any other, so 'fallback' covers it.
    if (abortSignal?.aborted) {
      throw AbortedError.isInstance(error)
        ? error
        : new AbortedError({ reason: abortSignal.reason });
    }
    if (settings.onRerankError !== 'fallback') throw error;

    const rerankedAt = performance.now();
    const count = Math.min(settings.rerankTopN, candidates.length);
    results = new Array(count);
    for (let index = 0; index < count; index++) {
      results[index] = toResultItem(candidates[index] as RetrievedCandidateV1, null, index);
    }
    warnings.push({
      type: 'other',
      message: `Reranking with ${reranker.provider}:${reranker.modelId} failed, so the results keep stage-1 order (degraded): ${error instanceof Error ? error.message : String(error)}`,
    });
    if (settings.minScore !== undefined) {
      warnings.push({
        type: 'other',
        message: 'minScore was not applied: a degraded result has no rerank scores.',
      });
    }
    return {
      results,
      timings: {
        retrieveMs: retrievedAt - startedAt,
        rerankMs: rerankedAt - retrievedAt,
        totalMs: performance.now() - startedAt,
      },
      servedBy: { retriever: retrieved.servedBy, reranker: null },
      degraded: true,
      warnings,
      rerankError: error,
    };
  }

  const finishedAt = performance.now();
  return {
    results,
    timings: {
      retrieveMs: retrievedAt - startedAt,
      rerankMs: finishedAt - retrievedAt,
      totalMs: finishedAt - startedAt,
    },
    servedBy: { retriever: retrieved.servedBy, reranker: rerankedBy },
    degraded: false,
    warnings,
  };
}

/**
 * The checked and defaulted settings of a pipeline: everything but the query.
 * @internal
 */
export type PipelineSettings = {
  retriever: RetrieveStageV1;
  reranker: RerankStageV1;
  retrieveTopK: number;
  rerankTopN: number;
  minScore: number | undefined;
  onRerankError: RerankErrorPolicy;
  maxRetries: number;
  maxConcurrency: number;
  documentFormat: RerankDocumentFormat;
  longDocuments: LongDocumentSettings | undefined;
  filter?: MetadataFilter;
  namespace?: string;
  abortSignal: AbortSignal | undefined;
  timeoutMs: number;
  rerankTimeoutMs: number;
  listeners: StageListeners;
  headers?: HeadersV1;
  providerOptions?: ProviderOptionsV1;
};

function validateListener<EVENT>(
  listener: unknown,
  argument: string,
): ((event: EVENT) => void) | undefined {
  if (listener !== undefined && typeof listener !== 'function') {
    throw new InvalidArgumentError({
      argument,
      message: `must be a function, got ${describe(listener)}.`,
    });
  }
  return listener as ((event: EVENT) => void) | undefined;
}

/** The deadline that ends first. */
function earlier(left: Deadline | undefined, right: Deadline | undefined): Deadline | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return right.at < left.at ? right : left;
}

/**
 * The one validation pass of a pipeline's options: everything but the query, so a
 * misconfiguration fails before any stage runs (and a pipeline fails when it is created, not at
 * its first query).
 * @internal
 */
export function validatePipelineOptions(options: PipelineOptions): PipelineSettings {
  validateOptionsObject(options);
  const { retriever, reranker } = options;
  validateStage(retriever, 'retriever', 'doRetrieve');
  validateStage(reranker, 'reranker', 'doRerank');
  const retrieveTopK = validateTopK(options.retrieveTopK, retriever, 'retrieveTopK');
  const rerankTopN = validateInteger(options.rerankTopN ?? 5, 'rerankTopN', { min: 1 });
  validateFilterArgument(options.filter);
  validateNamespaceArgument(options.namespace);
  validateAbortSignal(options.abortSignal);
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  const maxConcurrency = validateInteger(options.maxConcurrency ?? 4, 'maxConcurrency', {
    min: 1,
    allowInfinity: true,
  });
  const { minScore } = options;
  if (minScore !== undefined && (typeof minScore !== 'number' || !Number.isFinite(minScore))) {
    throw new InvalidArgumentError({
      argument: 'minScore',
      message: `must be a finite number, got ${describe(minScore)}.`,
    });
  }
  const onRerankError = options.onRerankError ?? 'throw';
  if (onRerankError !== 'throw' && onRerankError !== 'fallback') {
    throw new InvalidArgumentError({
      argument: 'onRerankError',
      message: `must be 'throw' or 'fallback', got ${describeChoice(onRerankError)}.`,
    });
  }
  const documentFormat = options.documentFormat ?? 'text';
  if (documentFormat !== 'text' && documentFormat !== 'object') {
    throw new InvalidArgumentError({
      argument: 'documentFormat',
      message: `must be 'text' or 'object', got ${describeChoice(documentFormat)}.`,
    });
  }
  const settings: PipelineSettings = {
    retriever,
    reranker,
    retrieveTopK,
    rerankTopN,
    minScore,
    onRerankError,
    maxRetries,
    maxConcurrency,
    documentFormat,
    longDocuments: validateLongDocumentOptions(options.longDocuments, documentFormat),
    abortSignal: options.abortSignal,
    timeoutMs: validateDeadlineMs(options.timeoutMs, defaultTimeoutMs.twoStage),
    rerankTimeoutMs: validateDeadlineMs(
      options.rerankTimeoutMs,
      Number.POSITIVE_INFINITY,
      'rerankTimeoutMs',
    ),
    listeners: {
      onStageStart: validateListener(options.onStageStart, 'onStageStart'),
      onStageEnd: validateListener(options.onStageEnd, 'onStageEnd'),
    },
  };
  if (options.filter !== undefined) settings.filter = options.filter;
  if (options.namespace !== undefined) settings.namespace = options.namespace;
  if (options.headers !== undefined) settings.headers = options.headers;
  if (options.providerOptions !== undefined) settings.providerOptions = options.providerOptions;
  return settings;
}

function toResultItem(
  candidate: RetrievedCandidateV1,
  rerankScore: number | null,
  index: number,
): TwoStageResultItem {
  return {
    id: candidate.id,
    text: candidate.text,
    metadata: candidate.metadata ?? {},
    rerankScore,
    retrieveScore: candidate.score,
    retrieveRank: index + 1,
  };
}

/** Why a `minScore` may not mean what the caller thinks, given the reranker's score kind. */
function minScoreWarning(reranker: RerankStageV1, minScore: number): WarningV1 | undefined {
  const model = `${reranker.provider}:${reranker.modelId}`;
  switch (reranker.scoreKind) {
    case 'logit':
      return {
        type: 'other',
        message: `minScore ${minScore} is applied to ${model}'s logit scores, which are unbounded and specific to this model: the threshold will not carry over to another reranker.`,
      };
    case 'probability':
      return minScore < 0 || minScore > 1
        ? {
            type: 'other',
            message: `minScore ${minScore} is outside [0, 1], the range of ${model}'s probability scores.`,
          }
        : undefined;
    case 'similarity':
      return minScore < -1 || minScore > 1
        ? {
            type: 'other',
            message: `minScore ${minScore} is outside [-1, 1], the range of ${model}'s similarity scores.`,
          }
        : undefined;
    default:
      return undefined;
  }
}
