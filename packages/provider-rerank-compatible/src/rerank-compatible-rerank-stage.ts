import {
  InvalidArgumentError,
  type RerankStageV1,
  type RerankStageV1CallOptions,
  type RerankStageV1Result,
  redactHeaders,
  type ScoreKindV1,
  type WarningV1,
} from '@twostage/core';
import { renderObjectDocument } from '@twostage/core/provider-utils';
import { buildRerankRequest } from './build-rerank-request.js';
import { callRerankCompatible, loadRerankCompatibleApi } from './call-rerank-compatible.js';
import { parseRerankResponse } from './parse-rerank-response.js';
import { defaultRerankCompatibleMaxDocumentsPerCall } from './rerank-compatible-environment.js';
import {
  parseRerankCompatibleOptions,
  type RerankCompatibleRerankOptions,
} from './rerank-compatible-options.js';
import type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';

/**
 * A reranker served by vLLM, Infinity or another Cohere- or Jina-shaped endpoint, as a twostage
 * rerank stage: one `POST` per window of documents.
 */
export class RerankCompatibleRerankStage implements RerankStageV1 {
  /** The contract this stage implements. */
  readonly specificationVersion = 'v1';
  /** `rerank-compatible`, as in a `rerank-compatible:<model>` reference. */
  readonly provider = 'rerank-compatible';
  /** The model id, sent as `model`. */
  readonly modelId: string;
  /** The most documents per request (settings' `maxDocumentsPerCall`); core windows the rest. */
  readonly maxDocumentsPerCall: number;
  /** What the served model's scores are (the `scoreKind` option; see its TSDoc). */
  readonly scoreKind: ScoreKindV1;
  private readonly defaults: RerankCompatibleRerankOptions;
  /** A private field (`#`): it holds the API key, which `console.log` must not show. */
  readonly #settings: RerankCompatibleProviderSettings;

  constructor(
    modelId: string,
    options: RerankCompatibleRerankOptions,
    settings: RerankCompatibleProviderSettings,
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: 'must be the served model name, a non-blank string.',
      });
    }
    this.modelId = modelId;
    this.defaults = parseRerankCompatibleOptions(options, 'options');
    this.scoreKind =
      this.defaults.scoreKind ?? (this.defaults.rawScores === true ? 'logit' : 'probability');
    this.maxDocumentsPerCall =
      settings.maxDocumentsPerCall ?? defaultRerankCompatibleMaxDocumentsPerCall;
    this.#settings = settings;
  }

  /** Reranks one window of documents with one request; see `RerankStageV1`. */
  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    const callOptions = parseRerankCompatibleOptions(
      options.providerOptions?.['rerank-compatible'],
      "providerOptions['rerank-compatible']",
    );
    const merged = { ...this.defaults, ...callOptions };
    const warnings: WarningV1[] = [];
    if (callOptions.scoreKind !== undefined && callOptions.scoreKind !== this.scoreKind) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'scoreKind',
        details: `scoreKind is a property of the stage (${this.scoreKind}); set it in reranker() options.`,
      });
    }
    const api = loadRerankCompatibleApi(this.#settings);
    if (api === 'infinity' && merged.maxTokensPerDoc !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'maxTokensPerDoc',
        details: 'Infinity has no per-document token limit; it truncates at the model maximum.',
      });
    }
    const { documents } = options;
    let texts: string[];
    if (documents.type === 'text') {
      texts = documents.values;
    } else {
      texts = documents.values.map((document) => renderObjectDocument(document));
      warnings.push({
        type: 'lossy-input',
        details:
          "Rerank engines score text only: object documents were sent as 'key: value' lines.",
      });
    }
    const body = buildRerankRequest({
      api,
      modelId: this.modelId,
      query: options.query,
      documents: texts,
      topN: options.topN,
      options: merged,
    });
    const response = await callRerankCompatible({
      settings: this.#settings,
      api,
      modelId: this.modelId,
      abortSignal: options.abortSignal,
      headers: options.headers,
      body,
    });
    const parsed = parseRerankResponse({
      text: response.text,
      documentCount: texts.length,
      topN: options.topN,
      provider: this.provider,
      modelId: this.modelId,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const requestId = parsed.id ?? response.headers.get('x-request-id') ?? undefined;
    const result: RerankStageV1Result = {
      ranking: parsed.ranking,
      response: {
        ...(requestId === undefined ? {} : { id: requestId }),
        modelId: parsed.modelId ?? this.modelId,
        headers: redactHeaders(headers),
      },
    };
    const usage: NonNullable<RerankStageV1Result['usage']> = {};
    if (parsed.inputTokens !== undefined) usage.inputTokens = parsed.inputTokens;
    if (parsed.searchUnits !== undefined) usage.searchUnits = parsed.searchUnits;
    if (Object.keys(usage).length > 0) result.usage = usage;
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }
}
