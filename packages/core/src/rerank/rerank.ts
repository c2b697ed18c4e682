import { throwIfAborted } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  type LongDocumentOptions,
  type LongDocumentSettings,
  validateLongDocumentOptions,
} from '../long-documents/long-document-options.js';
import { mergeWindowRanking } from '../long-documents/merge-window-ranking.js';
import {
  type LongDocumentPieces,
  splitLongDocuments,
} from '../long-documents/split-long-documents.js';
import { retryLoop } from '../retry/retry-with-backoff.js';
import type {
  RerankDocumentsV1,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
} from '../spec/v1/rerank-stage-v1.js';
import type {
  HeadersV1,
  JsonObject,
  ProviderOptionsV1,
  ResponseMetadataV1,
  WarningV1,
} from '../spec/v1/shared-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { collectWarnings } from '../util/collect-warnings.js';
import { raceAbort } from '../util/race-abort.js';
import { runWindows } from '../util/run-windows.js';
import {
  describeChoice,
  validateAbortSignal,
  validateInteger,
  validateOptionsObject,
  validateQuery,
  validateStage,
} from '../util/validate-arguments.js';
import { hasLoneSurrogate, loneSurrogateWarning, toWellFormed } from '../util/well-formed-text.js';
import {
  type Deadline,
  defaultTimeoutMs,
  validateDeadlineMs,
  withDeadline,
} from '../util/with-deadline.js';
import { collectWindowRanking, type RerankedDocument } from './collect-window-ranking.js';
import {
  prepareRerankDocuments,
  type RerankDocumentFormat,
  type RerankInputDocument,
} from './prepare-rerank-documents.js';

/** Options of {@link rerank}. */
export type RerankOptions<DOCUMENT extends RerankInputDocument = RerankInputDocument> = {
  /** The rerank stage (a cross-encoder, a hosted reranker). */
  model: RerankStageV1;
  /** The query the documents are scored against; must not be blank. */
  query: string;
  /** The candidates: strings or `{ id?, text, metadata? }` objects. Never modified. */
  documents: readonly DOCUMENT[];
  /**
   * How many of the best documents to return; an integer ≥ 1, clamped to the number of documents.
   * @default all documents
   */
  topN?: number;
  /**
   * Retries of each model call after a retryable failure (see `retryWithBackoff`).
   * @default 2
   */
  maxRetries?: number;
  /**
   * The most model calls in flight at once when the documents span several windows of
   * `maxDocumentsPerCall`.
   * @default 4
   */
  maxConcurrency?: number;
  /** Cancels the call: it rejects promptly with an `AbortedError` and starts no further window. */
  abortSignal?: AbortSignal;
  /**
   * The deadline of the whole call, retries and backoff waits included: past it the call rejects
   * with a `TimeoutError`. `Infinity` for none.
   * @default 60000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for providers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
  /**
   * `text` sends each document's text; `object` sends JSON objects `{ ...metadata, text }` that
   * the adapter renders its own way (it warns when the rendering is lossy).
   * @default 'text'
   */
  documentFormat?: RerankDocumentFormat;
  /**
   * What to do with documents longer than the model's input beside the query: `truncate` sends
   * them whole (the model reads their beginning); `chunk-max` scores overlapping windows of them
   * and gives each its best window's score, reported as the ranking item's `chunk`. Windows are
   * token-exact for a stage with `planLongDocumentWindows` (local ONNX), by a 4 characters per
   * token estimate for one that declares `maxInputTokens` or with `maxWindowTokens`, and not
   * made at all (with a warning) otherwise. Text documents only.
   * @default { strategy: 'truncate' }
   */
  longDocuments?: LongDocumentOptions;
};

/** Every option {@link rerank} accepts; any other name is refused (plain-JS typos). */
const rerankOptionNames = [
  'model',
  'query',
  'documents',
  'topN',
  'maxRetries',
  'maxConcurrency',
  'abortSignal',
  'timeoutMs',
  'headers',
  'providerOptions',
  'documentFormat',
  'longDocuments',
] as const satisfies readonly (keyof RerankOptions)[];

/** Usage summed over every model call of one `rerank`; a field is present when a call reported it. */
export type RerankUsage = {
  /** Billed search units (Cohere, Pinecone). */
  searchUnits?: number;
  /** Tokens read by the model. */
  inputTokens?: number;
  /** Documents a cache answered (`withCache`), over every call. */
  cacheHits?: number;
  /** Documents a cache had to ask the model for. */
  cacheMisses?: number;
  /**
   * With `chunk-max`: the texts the model scored, each window of a split document counted (a
   * document that fit whole counts once). Present only with `chunk-max`.
   */
  windows?: number;
};

/** What {@link rerank} returns. */
export type RerankResult<DOCUMENT extends RerankInputDocument = RerankInputDocument> = {
  /** The best documents, by score descending; equal scores keep their input order. */
  ranking: RerankedDocument<DOCUMENT>[];
  /** Usage summed over every model call (retries included), as the provider reported it. */
  /**
   * `provider:modelId` of the stage that answered; when windows were answered by different
   * stages (a breaker or chain per window), each once, joined by ' + '.
   */
  servedBy: string;
  usage: RerankUsage;
  /** How long the call took and how many model calls it made. */
  timings: {
    /** Wall time of the whole call, in milliseconds. */
    totalMs: number;
    /** `doRerank` invocations, retries included (0 when there were no documents). */
    calls: number;
  };
  /** The stage's warnings (each once) and core's own. */
  warnings: WarningV1[];
  /** Response metadata of each window that reported some, in window order, for debugging. */
  responses: ResponseMetadataV1[];
};

/**
 * A checked `rerank` call: what {@link runRerank} needs, every option validated and defaulted.
 * `twoStage` builds one from its own validated settings, so a pipeline validates once.
 * @internal
 */
export type RerankPlan<DOCUMENT> = {
  model: RerankStageV1;
  query: string;
  documents: readonly DOCUMENT[];
  /** The caller's topN; `undefined` when every document is wanted. */
  topN: number | undefined;
  maxRetries: number;
  maxConcurrency: number;
  format: RerankDocumentFormat;
  abortSignal: AbortSignal | undefined;
  /** The call's deadline in milliseconds (`Infinity`: none). */
  timeoutMs: number;
  /** Set while the call runs under its deadline, so retries never wait past it. */
  deadline?: Deadline | undefined;
  headers?: HeadersV1;
  providerOptions?: ProviderOptionsV1;
  /** Checked `longDocuments`; absent means `truncate`. */
  longDocuments?: LongDocumentSettings | undefined;
};

/** The state shared by the windows of one `rerank` call. */
type RerankRun<DOCUMENT> = {
  model: RerankStageV1;
  documents: readonly DOCUMENT[];
  prepared: RerankDocumentsV1;
  count: number;
  windowSize: number;
  /** The caller's topN, clamped; `undefined` when every document is wanted. */
  topN: number | undefined;
  maxRetries: number;
  deadline: Deadline | undefined;
  baseCallOptions: Omit<RerankStageV1CallOptions, 'documents'>;
  ranking: RerankedDocument<DOCUMENT>[];
  calls: number;
  /** Core's own warnings about windows (a short ranking). */
  windowWarnings?: WarningV1[];
};

/**
 * Reranks `documents` against `query` with a rerank stage and returns the best ones, scored.
 *
 * Inputs larger than the model's `maxDocumentsPerCall` are split into windows run with a
 * sliding-window concurrency limit; each window asks for its own top `topN` (enough: the global
 * top N holds at most N documents of any window, so ties at a window's cut are broken by the
 * stage), indices are remapped to the input, and the windows are merged into one ranking sorted
 * by score descending, ties broken by input order. Retryable failures are retried with backoff;
 * an abort is never retried. What the stage returns is checked (indices in range and unique,
 * finite scores), so a misbehaving provider fails with an `InvalidResponseError`.
 *
 * @throws InvalidArgumentError for a blank query, a malformed document (named `documents[i]`),
 * a `topN`, `maxRetries` or `maxConcurrency` out of range
 * @throws AbortedError when `abortSignal` fires
 * @throws TimeoutError when the call outlasts `timeoutMs`
 */
export async function rerank<DOCUMENT extends RerankInputDocument>(
  options: RerankOptions<DOCUMENT>,
): Promise<RerankResult<DOCUMENT>> {
  const startedAt = performance.now();
  const plan = planRerank(options);
  return withDeadline('rerank', plan.timeoutMs, plan.abortSignal, (signal, deadline) =>
    runRerank({ ...plan, abortSignal: signal, deadline }, startedAt),
  );
}

/**
 * The one validation pass of a `rerank` call.
 * @internal
 */
export function planRerank<DOCUMENT extends RerankInputDocument>(
  options: RerankOptions<DOCUMENT>,
): RerankPlan<DOCUMENT> {
  validateOptionsObject(options);
  checkOptionNames(options, rerankOptionNames, 'rerank()');
  const { model, query, documents, abortSignal } = options;
  validateStage(model, 'model', 'doRerank');
  validateQuery(query);
  validateAbortSignal(abortSignal);
  const topN =
    options.topN === undefined ? undefined : validateInteger(options.topN, 'topN', { min: 1 });
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  const maxConcurrency = validateInteger(options.maxConcurrency ?? 4, 'maxConcurrency', {
    min: 1,
    allowInfinity: true,
  });
  const format = options.documentFormat ?? 'text';
  if (format !== 'text' && format !== 'object') {
    throw new InvalidArgumentError({
      argument: 'documentFormat',
      message: `must be 'text' or 'object', got ${describeChoice(format)}.`,
    });
  }
  const longDocuments = validateLongDocumentOptions(options.longDocuments, format);
  const plan: RerankPlan<DOCUMENT> = {
    model,
    query,
    documents,
    topN,
    maxRetries,
    maxConcurrency,
    format,
    abortSignal,
    timeoutMs: validateDeadlineMs(options.timeoutMs, defaultTimeoutMs.rerank),
  };
  if (longDocuments !== undefined) plan.longDocuments = longDocuments;
  if (options.headers !== undefined) plan.headers = options.headers;
  if (options.providerOptions !== undefined) plan.providerOptions = options.providerOptions;
  return plan;
}

/**
 * Runs a checked `rerank` call: windows, retries, the merge.
 * @internal
 */
export async function runRerank<DOCUMENT extends RerankInputDocument>(
  plan: RerankPlan<DOCUMENT>,
  startedAt: number,
): Promise<RerankResult<DOCUMENT>> {
  const { model, documents, abortSignal } = plan;
  const malformed: string[] = [];
  let prepared = wellFormedDocuments(prepareRerankDocuments(documents, plan.format), malformed);
  const documentCount = prepared.values.length;
  if (documentCount === 0) {
    return {
      ranking: [],
      usage: {},
      servedBy: `${model.provider}:${model.modelId}`,
      timings: { totalMs: performance.now() - startedAt, calls: 0 },
      warnings: [],
      responses: [],
    };
  }
  throwIfAborted(abortSignal);
  let { query } = plan;
  if (hasLoneSurrogate(query)) {
    query = toWellFormed(query);
    malformed.unshift('query');
  }

  // chunk-max: the model scores texts (whole documents and windows), not documents.
  let pieces: LongDocumentPieces | undefined;
  if (plan.longDocuments?.strategy === 'chunk-max' && prepared.type === 'text') {
    pieces = await splitLongDocuments({
      model,
      query,
      texts: prepared.values,
      settings: plan.longDocuments,
      maxRetries: plan.maxRetries,
      abortSignal,
      deadline: plan.deadline,
    });
    prepared = { type: 'text', values: pieces.texts };
  }
  const count = prepared.values.length;
  // Each document's windows come back as entries of the document itself.
  const scoredDocuments: readonly DOCUMENT[] =
    pieces === undefined || pieces.splitDocuments === 0
      ? documents
      : pieces.owners.map((owner) => documents[owner] as DOCUMENT);

  // The stage's own declaration, checked per call: a stage is not the caller's option.
  const windowSize =
    model.maxDocumentsPerCall === undefined
      ? count
      : Math.min(
          count,
          validateInteger(model.maxDocumentsPerCall, 'model.maxDocumentsPerCall', {
            min: 1,
            allowInfinity: true,
          }),
        );
  const baseCallOptions: Omit<RerankStageV1CallOptions, 'documents'> = { query };
  if (plan.headers !== undefined) baseCallOptions.headers = plan.headers;
  if (plan.providerOptions !== undefined) baseCallOptions.providerOptions = plan.providerOptions;
  const topN = plan.topN === undefined ? undefined : Math.min(plan.topN, documentCount);
  const split = pieces !== undefined && pieces.splitDocuments > 0;
  const run: RerankRun<DOCUMENT> = {
    model,
    documents: scoredDocuments,
    prepared,
    count,
    windowSize,
    // A window's top N texts may all be windows of one document, hiding the best window of
    // another: with split documents every text's score is needed.
    topN: split ? undefined : topN,
    maxRetries: plan.maxRetries,
    deadline: plan.deadline,
    baseCallOptions,
    ranking: [],
    calls: 0,
  };

  const results = await runWindows({
    count: Math.ceil(count / windowSize),
    maxConcurrency: plan.maxConcurrency,
    abortSignal,
    run: (windowIndex, signal) => runWindow(run, windowIndex, signal),
  });

  const ranking =
    pieces === undefined || !split
      ? run.ranking
      : mergeWindowRanking(run.ranking, pieces, documents);
  ranking.sort(byScoreThenIndex);
  if (ranking.length > (topN ?? documentCount)) ranking.length = topN ?? documentCount;

  const usage: RerankUsage = {};
  const warnings: WarningV1[] = [];
  const responses: ResponseMetadataV1[] = [];
  for (const result of results) {
    if (result.usage?.searchUnits !== undefined) {
      usage.searchUnits = (usage.searchUnits ?? 0) + result.usage.searchUnits;
    }
    if (result.usage?.inputTokens !== undefined) {
      usage.inputTokens = (usage.inputTokens ?? 0) + result.usage.inputTokens;
    }
    if (result.usage?.cacheHits !== undefined) {
      usage.cacheHits = (usage.cacheHits ?? 0) + result.usage.cacheHits;
    }
    if (result.usage?.cacheMisses !== undefined) {
      usage.cacheMisses = (usage.cacheMisses ?? 0) + result.usage.cacheMisses;
    }
    if (result.warnings !== undefined && result.warnings.length > 0) {
      collectWarnings(warnings, result.warnings);
    }
    if (result.response !== undefined) responses.push(result.response);
  }
  if (run.windowWarnings !== undefined) collectWarnings(warnings, run.windowWarnings);
  if (pieces !== undefined) {
    usage.windows = count;
    collectWarnings(warnings, pieces.warnings);
  }
  if (malformed.length > 0) warnings.push(loneSurrogateWarning(malformed));

  const servedBy = new Set(
    results.map((result) =>
      typeof result.servedBy === 'string' ? result.servedBy : `${model.provider}:${model.modelId}`,
    ),
  );
  return {
    ranking,
    servedBy: [...servedBy].join(' + '),
    usage,
    timings: { totalMs: performance.now() - startedAt, calls: run.calls },
    warnings,
    responses,
  };
}

async function runWindow<DOCUMENT>(
  run: RerankRun<DOCUMENT>,
  windowIndex: number,
  signal: AbortSignal | undefined,
): Promise<RerankStageV1Result> {
  const { model } = run;
  const offset = windowIndex * run.windowSize;
  const length = Math.min(run.windowSize, run.count - offset);
  const callOptions: RerankStageV1CallOptions = {
    ...run.baseCallOptions,
    documents: sliceDocuments(run.prepared, offset, length, run.count),
  };
  const windowTopN = run.topN === undefined ? undefined : Math.min(run.topN, length);
  if (windowTopN !== undefined) callOptions.topN = windowTopN;
  if (signal !== undefined) callOptions.abortSignal = signal;

  const result = await retryLoop(
    () => {
      run.calls++;
      return raceAbort(model.doRerank(callOptions), signal);
    },
    run.maxRetries,
    { abortSignal: signal, deadline: run.deadline },
  );
  const warning = collectWindowRanking(run.ranking, result, {
    model,
    documents: run.documents,
    offset,
    length,
    expected: windowTopN ?? length,
  });
  if (warning !== undefined) {
    run.windowWarnings ??= [];
    run.windowWarnings.push(warning);
  }
  return result;
}

/**
 * The prepared documents with lone surrogates replaced (see `toWellFormed`), naming each one
 * changed in `malformed`. The arrays are core's own copies, so the caller's inputs stay as given.
 */
function wellFormedDocuments(prepared: RerankDocumentsV1, malformed: string[]): RerankDocumentsV1 {
  const { values } = prepared;
  for (let index = 0; index < values.length; index++) {
    if (prepared.type === 'text') {
      const text = values[index] as string;
      if (!hasLoneSurrogate(text)) continue;
      (values as string[])[index] = toWellFormed(text);
    } else {
      const object = values[index] as JsonObject;
      const text = object.text;
      if (typeof text !== 'string' || !hasLoneSurrogate(text)) continue;
      (values as JsonObject[])[index] = { ...object, text: toWellFormed(text) };
    }
    malformed.push(`documents[${index}]`);
  }
  return prepared;
}

function sliceDocuments(
  prepared: RerankDocumentsV1,
  offset: number,
  length: number,
  count: number,
): RerankDocumentsV1 {
  // A single window gets the arrays built during validation: they are already copies.
  if (offset === 0 && length === count) return prepared;
  return prepared.type === 'text'
    ? { type: 'text', values: prepared.values.slice(offset, offset + length) }
    : { type: 'object', values: prepared.values.slice(offset, offset + length) };
}

function byScoreThenIndex(
  left: { score: number; index: number },
  right: { score: number; index: number },
): number {
  return right.score - left.score || left.index - right.index;
}
