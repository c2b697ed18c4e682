import { InvalidResponseError } from '../errors/invalid-response-error.js';
import { retryLoop } from '../retry/retry-with-backoff.js';
import type {
  LongDocumentWindowsV1Options,
  LongDocumentWindowsV1Result,
  RerankStageV1,
  TextSpanV1,
} from '../spec/v1/rerank-stage-v1.js';
import type { WarningV1 } from '../spec/v1/shared-v1.js';
import { raceAbort } from '../util/race-abort.js';
import { describe, validateInteger } from '../util/validate-arguments.js';
import type { Deadline } from '../util/with-deadline.js';
import type { LongDocumentSettings } from './long-document-options.js';
import { characterWindowTokens, planCharacterWindows } from './plan-character-windows.js';

/** The texts a `chunk-max` call scores: whole documents that fit, windows of the others. */
export type LongDocumentPieces = {
  /** What the model scores, in document order (a document's windows side by side). */
  texts: string[];
  /** For each text, the position of the document it comes from. */
  owners: number[];
  /** For each text, its span in its document, or `undefined` when it is the whole document. */
  spans: (TextSpanV1 | undefined)[];
  /** Documents split into more than their whole text. */
  splitDocuments: number;
  /** The planner's warnings, and core's when the stage could not be windowed. */
  warnings: WarningV1[];
};

/** What {@link splitLongDocuments} needs. */
export type SplitLongDocumentsOptions = {
  model: RerankStageV1;
  query: string;
  /** The documents' (well-formed) texts. */
  texts: string[];
  settings: LongDocumentSettings;
  maxRetries: number;
  abortSignal: AbortSignal | undefined;
  deadline: Deadline | undefined;
};

/**
 * Splits documents longer than the model's input into windows, for `chunk-max`: by the stage's
 * own `planLongDocumentWindows` (token-exact) when it has one, else by characters from the
 * stage's declared `maxInputTokens` or the caller's `maxWindowTokens`. A stage with neither
 * gets every document whole, with a warning (its provider truncates them, as with `truncate`).
 * The planner's answer is checked: one non-empty list of in-range spans per text, in order.
 *
 * @throws InvalidArgumentError for an overlap that is not below the window
 * @throws InvalidResponseError when the planner breaks its contract
 */
export async function splitLongDocuments(
  options: SplitLongDocumentsOptions,
): Promise<LongDocumentPieces> {
  const { model, query, texts, settings } = options;
  const warnings: WarningV1[] = [];
  let windows: TextSpanV1[][] | undefined;
  const planner = model.planLongDocumentWindows;
  if (typeof planner === 'function') {
    const call: LongDocumentWindowsV1Options = { query, texts };
    if (settings.overlap !== undefined) call.overlap = settings.overlap;
    if (settings.maxWindowTokens !== undefined) call.maxWindowTokens = settings.maxWindowTokens;
    const signal = options.abortSignal;
    if (signal !== undefined) call.abortSignal = signal;
    const result = await retryLoop(
      () => raceAbort(planner.call(model, call), signal),
      options.maxRetries,
      { abortSignal: signal, deadline: options.deadline },
    );
    windows = checkWindows(model, texts, result);
    if (Array.isArray(result.warnings)) warnings.push(...result.warnings);
  } else {
    const maxInputTokens =
      model.maxInputTokens === undefined
        ? undefined
        : validateInteger(model.maxInputTokens, 'model.maxInputTokens', { min: 1 });
    const windowTokens = characterWindowTokens(query, maxInputTokens, settings.maxWindowTokens);
    if (windowTokens === undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'longDocuments',
        details: `${model.provider}:${model.modelId} cannot count tokens (no planLongDocumentWindows) and declares no maxInputTokens, so 'chunk-max' has no window size: documents were sent whole and the provider truncates them as it does for 'truncate' (Cohere: max_tokens_per_doc). Give longDocuments.maxWindowTokens to window them by characters.`,
      });
    } else {
      windows = planCharacterWindows(texts, windowTokens, settings.overlap);
    }
  }

  const pieces: LongDocumentPieces = {
    texts: [],
    owners: [],
    spans: [],
    splitDocuments: 0,
    warnings,
  };
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] as string;
    const spans = windows?.[index];
    const first = spans?.[0];
    if (
      spans === undefined ||
      first === undefined ||
      (spans.length === 1 && first.start === 0 && first.end === text.length)
    ) {
      pieces.texts.push(text);
      pieces.owners.push(index);
      pieces.spans.push(undefined);
      continue;
    }
    pieces.splitDocuments += 1;
    for (const span of spans) {
      pieces.texts.push(text.slice(span.start, span.end));
      pieces.owners.push(index);
      pieces.spans.push({ start: span.start, end: span.end });
    }
  }
  return pieces;
}

/** The planner's windows, checked against the contract. */
function checkWindows(
  model: RerankStageV1,
  texts: readonly string[],
  result: LongDocumentWindowsV1Result,
): TextSpanV1[][] {
  const windows = (result as { windows?: unknown } | undefined)?.windows;
  if (!Array.isArray(windows) || windows.length !== texts.length) {
    throw invalid(
      model,
      `planLongDocumentWindows must return one list of windows per text (${texts.length}), got ${Array.isArray(windows) ? `${windows.length} lists` : describe(windows)}.`,
    );
  }
  windows.forEach((spans: unknown, index) => {
    const length = (texts[index] as string).length;
    if (!Array.isArray(spans) || spans.length === 0) {
      throw invalid(model, `windows[${index}] must be a non-empty array, got ${describe(spans)}.`);
    }
    let previous: TextSpanV1 | undefined;
    spans.forEach((span: unknown, position) => {
      const { start, end } = (span ?? {}) as { start?: unknown; end?: unknown };
      const valid =
        Number.isInteger(start) &&
        Number.isInteger(end) &&
        (start as number) >= 0 &&
        (end as number) <= length &&
        ((start as number) < (end as number) || length === 0) &&
        (previous === undefined ||
          ((start as number) > previous.start && (end as number) > previous.end));
      if (!valid) {
        throw invalid(
          model,
          `windows[${index}][${position}] must be { start, end } integers with 0 ≤ start < end ≤ ${length}, after the previous window, got { start: ${describe(start)}, end: ${describe(end)} }.`,
        );
      }
      previous = span as TextSpanV1;
    });
  });
  return windows as TextSpanV1[][];
}

function invalid(model: RerankStageV1, message: string): InvalidResponseError {
  return new InvalidResponseError({ provider: model.provider, modelId: model.modelId, message });
}
