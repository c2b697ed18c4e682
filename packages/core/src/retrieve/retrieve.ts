import { throwIfAborted } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { InvalidResponseError } from '../errors/invalid-response-error.js';
import { validateFilter } from '../filter/validate-filter.js';
import { retryLoop } from '../retry/retry-with-backoff.js';
import type {
  RetrievedCandidateV1,
  RetrieveStageV1,
  RetrieveStageV1CallOptions,
} from '../spec/v1/retrieve-stage-v1.js';
import type {
  HeadersV1,
  MetadataFilter,
  ProviderOptionsV1,
  ResponseMetadataV1,
  WarningV1,
} from '../spec/v1/shared-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { raceAbort } from '../util/race-abort.js';
import {
  describe,
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

/** Options of {@link retrieve}. */
export type RetrieveOptions = {
  /** The retrieve stage (vector, lexical or hybrid search). */
  retriever: RetrieveStageV1;
  /** The query; must not be blank. */
  query: string;
  /**
   * How many candidates to fetch at most; an integer ≥ 1, and ≤ the retriever's `maxTopK`
   * when it declares one.
   * @default 50, or the retriever's `maxTopK` when that is smaller
   */
  topK?: number;
  /** A metadata filter in Pinecone's language, passed to the retriever unchanged. */
  filter?: MetadataFilter;
  /** A partition of the index. */
  namespace?: string;
  /**
   * Retries after a retryable failure (see `retryWithBackoff`).
   * @default 2
   */
  maxRetries?: number;
  /** Cancels the call: it rejects promptly with an `AbortedError`. */
  abortSignal?: AbortSignal;
  /**
   * The deadline of the whole call, retries and backoff waits included: past it the call rejects
   * with a `TimeoutError`. `Infinity` for none.
   * @default 30000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for providers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
};

/** Every option {@link retrieve} accepts; any other name is refused (plain-JS typos). */
const retrieveOptionNames = [
  'retriever',
  'query',
  'topK',
  'filter',
  'namespace',
  'maxRetries',
  'abortSignal',
  'timeoutMs',
  'headers',
  'providerOptions',
] as const satisfies readonly (keyof RetrieveOptions)[];

/** What {@link retrieve} returns. */
export type RetrieveResult = {
  /** The candidates, best first (score descending), ids unique, at most `topK`. */
  candidates: RetrievedCandidateV1[];
  /** `provider:modelId` of the stage that answered (a fallback chain's member, say). */
  servedBy: string;
  timings: {
    /** Wall time of the whole call, retries included, in milliseconds. */
    totalMs: number;
  };
  /** The retriever's warnings (a setting it could not honour, a filter it relaxed). */
  warnings: WarningV1[];
  /** The retriever's response metadata, when it reported some. */
  response?: ResponseMetadataV1;
};

/**
 * Stage 1: asks the retriever for the `topK` candidates most likely to answer `query`, with
 * retries, and checks what comes back (each candidate has a string id and text and a finite
 * score; ids are unique; scores are sorted descending; at most `topK`), so a misbehaving
 * retriever fails with an `InvalidResponseError` instead of corrupting stage 2.
 *
 * @throws InvalidArgumentError for a blank query, a `topK` out of range, a malformed filter or
 * namespace
 * @throws AbortedError when `abortSignal` fires
 * @throws TimeoutError when the call outlasts `timeoutMs`
 */
export async function retrieve(options: RetrieveOptions): Promise<RetrieveResult> {
  const startedAt = performance.now();
  const plan = planRetrieve(options);
  return withDeadline(
    'retrieve',
    plan.timeoutMs,
    plan.callOptions.abortSignal,
    (signal, deadline) => runRetrieve(withSignal(plan, signal, deadline), startedAt),
  );
}

/**
 * A checked `retrieve` call: the stage, its call options and the retry budget. `twoStage`
 * builds one from its own validated settings, so a pipeline validates once.
 * @internal
 */
export type RetrievePlan = {
  retriever: RetrieveStageV1;
  callOptions: RetrieveStageV1CallOptions;
  maxRetries: number;
  /** The call's deadline in milliseconds (`Infinity`: none). */
  timeoutMs: number;
  /** Set while the call runs under its deadline, so retries never wait past it. */
  deadline?: Deadline | undefined;
  /** Whether the caller's query held lone surrogates, replaced in `callOptions.query`. */
  queryWasMalformed?: boolean;
};

/** The plan with the deadline's signal in place of the caller's. */
function withSignal(
  plan: RetrievePlan,
  signal: AbortSignal | undefined,
  deadline: Deadline | undefined,
): RetrievePlan {
  const callOptions = { ...plan.callOptions };
  if (signal === undefined) delete callOptions.abortSignal;
  else callOptions.abortSignal = signal;
  return { ...plan, callOptions, deadline };
}

/**
 * The one validation pass of a `retrieve` call.
 * @internal
 */
export function planRetrieve(options: RetrieveOptions): RetrievePlan {
  validateOptionsObject(options);
  checkOptionNames(options, retrieveOptionNames, 'retrieve()');
  const { retriever, query, filter, namespace, abortSignal } = options;
  validateStage(retriever, 'retriever', 'doRetrieve');
  validateQuery(query);
  const topK = validateTopK(options.topK, retriever, 'topK');
  validateFilterArgument(filter);
  validateNamespaceArgument(namespace);
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  validateAbortSignal(abortSignal);

  const callOptions: RetrieveStageV1CallOptions = { query: toWellFormed(query), topK };
  if (filter !== undefined) callOptions.filter = filter;
  if (namespace !== undefined) callOptions.namespace = namespace;
  if (abortSignal !== undefined) callOptions.abortSignal = abortSignal;
  if (options.headers !== undefined) callOptions.headers = options.headers;
  if (options.providerOptions !== undefined) callOptions.providerOptions = options.providerOptions;
  const timeoutMs = validateDeadlineMs(options.timeoutMs, defaultTimeoutMs.retrieve);
  const plan: RetrievePlan = { retriever, callOptions, maxRetries, timeoutMs };
  if (callOptions.query !== query) plan.queryWasMalformed = true;
  return plan;
}

/**
 * Runs a checked `retrieve` call: the stage with retries, then the check of its candidates.
 * @internal
 */
export async function runRetrieve(plan: RetrievePlan, startedAt: number): Promise<RetrieveResult> {
  const { retriever, callOptions } = plan;
  const { abortSignal } = callOptions;
  throwIfAborted(abortSignal);
  const result = await retryLoop(
    () => raceAbort(retriever.doRetrieve(callOptions), abortSignal),
    plan.maxRetries,
    { abortSignal, deadline: plan.deadline },
  );
  const candidates = checkCandidates(retriever, result?.candidates, callOptions.topK);
  const retrieveResult: RetrieveResult = {
    candidates,
    servedBy:
      typeof result.servedBy === 'string'
        ? result.servedBy
        : `${retriever.provider}:${retriever.modelId}`,
    timings: { totalMs: performance.now() - startedAt },
    warnings: result.warnings === undefined ? [] : [...result.warnings],
  };
  if (plan.queryWasMalformed === true)
    retrieveResult.warnings.push(loneSurrogateWarning(['query']));
  if (result.response !== undefined) retrieveResult.response = result.response;
  return retrieveResult;
}

/**
 * Checks that a filter, when given, is an object in the contract's filter language (operators,
 * value types, at most `maxFilterDepth` levels), before any stage sees it: a stage that copies
 * or walks a filter 10,000 levels deep would otherwise fail with a RangeError from deep inside.
 */
export function validateFilterArgument(filter: unknown): void {
  if (filter === undefined) return;
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidArgumentError({
      argument: 'filter',
      message: `must be an object, got ${describe(filter)}.`,
    });
  }
  validateFilter(filter);
}

/** Checks that a namespace, when given, is a string. */
export function validateNamespaceArgument(namespace: unknown): void {
  if (namespace !== undefined && typeof namespace !== 'string') {
    throw new InvalidArgumentError({
      argument: 'namespace',
      message: `must be a string, got ${describe(namespace)}.`,
    });
  }
}

/**
 * Checks `topK`: an integer ≥ 1, and ≤ the retriever's `maxTopK` when it declares one. When the
 * caller gave none, it is 50, lowered to `maxTopK`: a default must not fail on a retriever that
 * caps lower.
 */
export function validateTopK(topK: unknown, retriever: RetrieveStageV1, argument: string): number {
  const maxTopK = retriever.maxTopK;
  if (maxTopK === undefined) return validateInteger(topK ?? defaultTopK, argument, { min: 1 });
  return validateInteger(topK ?? Math.min(defaultTopK, maxTopK), argument, {
    min: 1,
    max: maxTopK,
  });
}

/** Stage 1's default candidate count: enough recall for a reranker to work with. */
const defaultTopK = 50;

function checkCandidates(
  retriever: RetrieveStageV1,
  candidates: unknown,
  topK: number,
): RetrievedCandidateV1[] {
  if (!Array.isArray(candidates)) {
    throw invalid(retriever, `'candidates' must be an array, got ${describe(candidates)}.`);
  }
  if (candidates.length > topK) {
    throw invalid(retriever, `returned ${candidates.length} candidates for topK ${topK}.`);
  }
  const ids = new Set<string>();
  let previousScore = Number.POSITIVE_INFINITY;
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index] as Partial<RetrievedCandidateV1> | null | undefined;
    if (candidate === null || typeof candidate !== 'object') {
      throw invalid(
        retriever,
        `candidates[${index}] must be an object, got ${describe(candidate)}.`,
      );
    }
    const { id, text, score } = candidate;
    if (typeof id !== 'string') {
      throw invalid(retriever, `candidates[${index}].id must be a string, got ${describe(id)}.`);
    }
    if (typeof text !== 'string') {
      throw invalid(
        retriever,
        `candidates[${index}].text must be a string, got ${describe(text)}.`,
      );
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw invalid(
        retriever,
        `candidates[${index}].score must be a finite number, got ${describe(score)}.`,
      );
    }
    if (ids.has(id)) {
      throw invalid(retriever, `candidates[${index}].id '${id}' appears more than once.`);
    }
    ids.add(id);
    if (score > previousScore) {
      throw invalid(
        retriever,
        `candidates must be sorted by score descending; candidates[${index}] (${score}) follows ${previousScore}.`,
      );
    }
    previousScore = score;
  }
  return candidates as RetrievedCandidateV1[];
}

function invalid(retriever: RetrieveStageV1, message: string): InvalidResponseError {
  return new InvalidResponseError({
    provider: retriever.provider,
    modelId: retriever.modelId,
    message,
  });
}
