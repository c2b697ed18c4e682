import {
  InvalidArgumentError,
  type RankedIndexV1,
  type RerankStageV1,
  type RerankStageV1CallOptions,
  type RerankStageV1Result,
  redactHeaders,
  type ScoreKindV1,
  throwIfAborted,
  type WarningV1,
} from '@twostage/core';
import { renderObjectDocument } from '@twostage/core/provider-utils';
import { callTei } from './call-tei.js';
import { parseTeiRerankResponse } from './parse-tei-rerank-response.js';
import { runLimited } from './run-limited.js';
import type { TeiProviderSettings } from './tei-provider-settings.js';
import {
  parseTeiRerankOptions,
  type TeiRerankOptions,
  teiScoreKind,
} from './tei-rerank-options.js';
import type { TeiServerInfoCache } from './tei-server-info.js';

/**
 * A reranker served by Hugging Face Text Embeddings Inference, as a twostage rerank stage. TEI
 * caps texts per request at `max_client_batch_size` (from `GET /info`, read once per provider),
 * so a call is split into windows of that size here, with at most `max_concurrent_requests`
 * texts in flight (TEI 1.9 answers 429 past them). Cross-encoder scores are per pair, so the
 * windows' scores are merged as they are.
 */
export class TeiRerankStage implements RerankStageV1 {
  /** The contract this stage implements. */
  readonly specificationVersion = 'v1';
  /** `tei`, as in a `tei:<model>` reference. */
  readonly provider = 'tei';
  /** The model id; TEI serves one model and does not take it on the wire. */
  readonly modelId: string;
  /**
   * The settings' `maxDocumentsPerCall`, when given. Unset (`undefined`), core sends every
   * candidate in one call and this stage windows by the server's `max_client_batch_size`.
   */
  readonly maxDocumentsPerCall: number | undefined;
  /** `logit` with `rawScores: true`, else `probability` (TEI's sigmoid). */
  readonly scoreKind: ScoreKindV1;
  private readonly defaults: TeiRerankOptions;
  /** A private field (`#`): it holds the API key, which `console.log` must not show. */
  readonly #settings: TeiProviderSettings;
  readonly #info: TeiServerInfoCache;

  constructor(
    modelId: string,
    options: TeiRerankOptions,
    settings: TeiProviderSettings,
    info: TeiServerInfoCache,
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: 'must be the served model id, a non-blank string.',
      });
    }
    this.modelId = modelId;
    this.defaults = parseTeiRerankOptions(options, 'options');
    this.scoreKind = teiScoreKind(this.defaults);
    this.maxDocumentsPerCall = settings.maxDocumentsPerCall;
    this.#settings = settings;
    this.#info = info;
  }

  /** Reranks the documents with one `POST /rerank` per window; see `RerankStageV1`. */
  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    throwIfAborted(options.abortSignal);
    const callOptions = parseTeiRerankOptions(options.providerOptions?.tei, 'providerOptions.tei');
    const warnings: WarningV1[] = [];
    if (callOptions.rawScores !== undefined && callOptions.rawScores !== this.defaults.rawScores) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'rawScores',
        details: `rawScores decides the stage's scoreKind (${this.scoreKind}); set it in reranker() options.`,
      });
    }
    const merged = { ...this.defaults, ...callOptions, rawScores: this.defaults.rawScores };
    const { documents } = options;
    let texts: string[];
    if (documents.type === 'text') {
      texts = documents.values;
    } else {
      texts = documents.values.map((document) => renderObjectDocument(document));
      warnings.push({
        type: 'lossy-input',
        details: "TEI scores text only: object documents were sent as 'key: value' lines.",
      });
    }
    let batch = this.#settings.maxDocumentsPerCall;
    let inFlightTexts = this.#settings.maxConcurrentTexts;
    if (batch === undefined || inFlightTexts === undefined) {
      const info = await this.#info.get(this.modelId, options.abortSignal);
      batch = Math.min(batch ?? info.maxClientBatchSize, info.maxClientBatchSize);
      inFlightTexts ??= info.maxConcurrentRequests;
    }
    const size = batch;
    const windowCount = Math.ceil(texts.length / size);
    const parallel = Math.max(1, Math.floor(inFlightTexts / size));
    let lastHeaders: Headers | undefined;
    const parts = await runLimited(windowCount, parallel, async (window) => {
      const offset = window * size;
      const slice = texts.slice(offset, offset + size);
      const body: Record<string, unknown> = {
        query: options.query,
        texts: slice,
        raw_scores: merged.rawScores === true,
        return_text: false,
      };
      if (merged.truncate !== undefined) body.truncate = merged.truncate;
      if (merged.truncationDirection !== undefined) {
        body.truncation_direction = merged.truncationDirection === 'left' ? 'Left' : 'Right';
      }
      const response = await callTei({
        settings: this.#settings,
        route: '/rerank',
        method: 'POST',
        abortSignal: options.abortSignal,
        headers: options.headers,
        body,
      });
      lastHeaders = response.headers;
      return parseTeiRerankResponse({
        text: response.text,
        documentCount: slice.length,
        offset,
        modelId: this.modelId,
      });
    });
    const ranking: RankedIndexV1[] = parts.flat();
    ranking.sort((left, right) => right.score - left.score || left.index - right.index);
    const headers: Record<string, string> = {};
    lastHeaders?.forEach((value, name) => {
      headers[name] = value;
    });
    const requestId = lastHeaders?.get('x-request-id') ?? undefined;
    const result: RerankStageV1Result = {
      ranking: options.topN === undefined ? ranking : ranking.slice(0, options.topN),
      response: {
        ...(requestId === undefined ? {} : { id: requestId }),
        modelId: this.modelId,
        headers: redactHeaders(headers),
      },
    };
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }
}
