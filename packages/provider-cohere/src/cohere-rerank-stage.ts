import type {
  RankedIndexV1,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
  WarningV1,
} from '@twostage/core';
import { callCohere } from './call-cohere.js';
import type { CohereRerankResponse } from './cohere-api-types.js';
import { cohereMetaWarnings } from './cohere-meta-warnings.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import { type CohereRerankOptions, parseCohereRerankOptions } from './cohere-rerank-options.js';
import { headersToRecord } from './headers-to-record.js';
import { renderObjectDocument } from './render-object-document.js';

/**
 * Rerank models Cohere documents; any other id is passed through as it is (new models, or a
 * self-hosted server's own names).
 */
export type CohereRerankModelId =
  | 'rerank-v5.0-pro'
  | 'rerank-v5.0-fast'
  | 'rerank-v4.0-pro'
  | 'rerank-v4.0-fast'
  | 'rerank-v3.5'
  | 'rerank-multilingual-v3.0'
  | 'rerank-english-v3.0'
  | (string & {});

/**
 * Cohere Rerank (v2 `POST /v2/rerank`) as a twostage rerank stage.
 * @see https://docs.cohere.com/reference/rerank
 */
export class CohereRerankStage implements RerankStageV1 {
  /** The contract this stage implements. */
  readonly specificationVersion = 'v1';
  /** `cohere`, as in a `cohere:<model>` reference. */
  readonly provider = 'cohere';
  /** Cohere recommends at most 1,000 documents per request; core windows larger inputs. */
  readonly maxDocumentsPerCall = 1000;
  /** Cohere's relevance scores are normalised to [0, 1]. */
  readonly scoreKind = 'probability';
  /** The Cohere model id, sent as `model`. */
  readonly modelId: string;
  private readonly defaults: CohereRerankOptions;
  /**
   * A private field (`#`), not a TypeScript `private`: it holds the API key, and `console.log` or
   * `JSON.stringify` of a model must not show it.
   */
  readonly #settings: CohereProviderSettings;

  constructor(modelId: string, options: CohereRerankOptions, settings: CohereProviderSettings) {
    this.modelId = modelId;
    this.defaults = parseCohereRerankOptions(options, 'options');
    this.#settings = settings;
  }

  /** Reranks one window of documents with one `POST /v2/rerank`; see `RerankStageV1`. */
  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    const callOptions = {
      ...this.defaults,
      ...parseCohereRerankOptions(options.providerOptions?.cohere, 'providerOptions.cohere'),
    };
    const warnings: WarningV1[] = [];
    const documents = this.renderDocuments(options, callOptions.rankFields, warnings);
    // Cohere's wire names, in the order its API reference lists them.
    const request: Record<string, unknown> = {
      model: this.modelId,
      query: options.query,
      documents,
    };
    if (options.topN !== undefined) request.top_n = options.topN;
    if (callOptions.maxTokensPerDoc !== undefined) {
      request.max_tokens_per_doc = callOptions.maxTokensPerDoc;
    }
    if (callOptions.priority !== undefined) request.priority = callOptions.priority;

    const { value, response } = await callCohere({
      settings: this.#settings,
      endpoint: 'v2/rerank',
      modelId: this.modelId,
      abortSignal: options.abortSignal,
      headers: options.headers,
      body: request,
      checkResponse: (body) =>
        Array.isArray((body as { results?: unknown } | null)?.results)
          ? undefined
          : "the body has no 'results' array.",
    });
    const data = value as CohereRerankResponse;

    const ranking: RankedIndexV1[] = data.results.map((result) => ({
      index: result.index,
      score: result.relevance_score,
    }));
    // Cohere sorts by relevance already; a compatible server might not. Ties keep input order.
    ranking.sort((left, right) => right.score - left.score || left.index - right.index);

    const searchUnits = data.meta?.billed_units?.search_units;
    const requestId = data.id ?? response.headers.get('x-request-id') ?? undefined;
    const result: RerankStageV1Result = {
      ranking,
      response: {
        ...(requestId === undefined ? {} : { id: requestId }),
        modelId: this.modelId,
        headers: headersToRecord(response.headers),
      },
    };
    if (searchUnits !== undefined) result.usage = { searchUnits };
    warnings.push(...cohereMetaWarnings(data.meta));
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }

  /** Text documents go as they are; objects are rendered to text (v2 takes strings only). */
  private renderDocuments(
    options: RerankStageV1CallOptions,
    rankFields: string[] | undefined,
    warnings: WarningV1[],
  ): string[] {
    const { documents } = options;
    if (documents.type === 'text') {
      if (rankFields !== undefined) {
        warnings.push({
          type: 'unsupported-setting',
          setting: 'rankFields',
          details:
            'rankFields applies to object documents only; the text documents were sent as they are.',
        });
      }
      return documents.values;
    }
    const rendered = documents.values.map((document) => renderObjectDocument(document, rankFields));
    let details =
      "Cohere's v2 rerank accepts text only: object documents were rendered as YAML-like 'key: value' lines";
    if (rankFields === undefined) {
      details += ' (every field).';
    } else {
      const left = new Set<string>();
      for (const document of documents.values) {
        for (const key of Object.keys(document)) if (!rankFields.includes(key)) left.add(key);
      }
      details += ` of the fields ${rankFields.join(', ')}`;
      details += left.size === 0 ? '.' : `; left out: ${[...left].join(', ')}.`;
    }
    warnings.push({ type: 'lossy-input', details });
    return rendered;
  }
}
