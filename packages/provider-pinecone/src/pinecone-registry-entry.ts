import type { EmbeddingModelV1, ProviderModuleV1 } from '@twostage/core';
import { InvalidArgumentError, loadOptionalSetting, resolveEmbeddingModel } from '@twostage/core';
import { validateTimeoutMs } from '@twostage/core/provider-utils';
import type { PineconeEmbeddingModel } from './pinecone-embedding-model.js';
import {
  createPinecone,
  type PineconeProvider,
  type PineconeProviderSettings,
  pinecone,
} from './pinecone-provider.js';
import type { PineconeRerankStage } from './pinecone-rerank-stage.js';
import type { PineconeRetriever, PineconeRetrieverOptions } from './pinecone-retriever.js';

/** What core's registry passes along with a `pinecone:<id>` reference (core's `ResolveOptions`). */
export type PineconeResolveOptions = {
  /** The embedding model for a vector-mode retriever (the registry resolves `TWOSTAGE_EMBEDDING_MODEL`). */
  embeddingModel?: EmbeddingModelV1;
  /**
   * Provider settings (`apiKey`, `controllerHostUrl`, `indexHost`, `headers`, `timeoutMs`) and, for a
   * retriever, `namespace`, `textField`, `mode`, `metric`, `missingText`.
   */
  settings?: Record<string, unknown>;
  /** The application's root, for resolving `TWOSTAGE_EMBEDDING_MODEL`'s provider package. */
  cwd?: string;
};

const providerKeys = ['apiKey', 'controllerHostUrl', 'indexHost', 'headers', 'timeoutMs'] as const;

/**
 * The entry point of core's registry (`resolveRetriever('pinecone:bank-policies')`,
 * `TWOSTAGE_RERANKER=pinecone:bge-reranker-v2-m3`, `TWOSTAGE_EMBEDDING_MODEL=pinecone:multilingual-e5-large`).
 *
 * A retriever reference names the index (required). It runs in vector mode with the
 * `embeddingModel` the registry passes, or else the one `TWOSTAGE_EMBEDDING_MODEL` names
 * (resolved here, so `resolveRetriever()` alone works); the query is embedded with that model,
 * which must be the one that embedded the documents. With neither (or with the setting
 * `mode: 'records'`) it runs in records mode: the index embeds the query itself, so it must have
 * integrated embedding. A bare `pinecone` reranker is `bge-reranker-v2-m3`, a bare
 * `pinecone` embedding model `llama-text-embed-v2`.
 */
export const twostageProvider = {
  async retriever(
    modelId: string | undefined,
    options: PineconeResolveOptions = {},
  ): Promise<PineconeRetriever> {
    if (modelId === undefined || modelId === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: "a Pinecone retriever reference names the index: 'pinecone:<index-name>'.",
      });
    }
    const settings = options.settings ?? {};
    const retrieverOptions: PineconeRetrieverOptions = { index: modelId };
    const embeddingModel =
      options.embeddingModel ??
      (readString(settings, 'mode') === 'records'
        ? undefined
        : await embeddingModelFromEnvironment(options));
    if (embeddingModel !== undefined) retrieverOptions.embeddingModel = embeddingModel;
    const namespace = readString(settings, 'namespace');
    if (namespace !== undefined) retrieverOptions.namespace = namespace;
    const textField = readString(settings, 'textField');
    if (textField !== undefined) retrieverOptions.textField = textField;
    const mode = readString(settings, 'mode');
    if (mode !== undefined)
      retrieverOptions.mode = mode as PineconeRetrieverOptions['mode'] & string;
    const metric = readString(settings, 'metric');
    if (metric !== undefined)
      retrieverOptions.metric = metric as PineconeRetrieverOptions['metric'] & string;
    const missingText = readString(settings, 'missingText');
    if (missingText !== undefined) {
      retrieverOptions.missingText = missingText as PineconeRetrieverOptions['missingText'] &
        string;
    }
    return providerFor(settings).retriever(retrieverOptions);
  },
  reranker(modelId: string | undefined, options: PineconeResolveOptions = {}): PineconeRerankStage {
    return providerFor(options.settings ?? {}).reranker(modelId || 'bge-reranker-v2-m3');
  },
  embeddingModel(
    modelId: string | undefined,
    options: PineconeResolveOptions = {},
  ): PineconeEmbeddingModel {
    return providerFor(options.settings ?? {}).embeddingModel(modelId || 'llama-text-embed-v2');
  },
} satisfies ProviderModuleV1;

/** The model `TWOSTAGE_EMBEDDING_MODEL` names, if it is set; Pinecone settings go along to a Pinecone one. */
async function embeddingModelFromEnvironment(
  options: PineconeResolveOptions,
): Promise<EmbeddingModelV1 | undefined> {
  const reference = loadOptionalSetting({
    value: undefined,
    environmentVariables: ['TWOSTAGE_EMBEDDING_MODEL'],
  });
  if (reference === undefined) return undefined;
  const isPinecone = reference === 'pinecone' || reference.startsWith('pinecone:');
  return resolveEmbeddingModel(reference, {
    ...(isPinecone && options.settings !== undefined ? { settings: options.settings } : {}),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

/** The default provider, or a new one when the settings carry connection settings. */
function providerFor(settings: Record<string, unknown>): PineconeProvider {
  if (!providerKeys.some((key) => settings[key] !== undefined)) return pinecone;
  const providerSettings: PineconeProviderSettings = {};
  const apiKey = readString(settings, 'apiKey');
  if (apiKey !== undefined) providerSettings.apiKey = apiKey;
  const controllerHostUrl = readString(settings, 'controllerHostUrl');
  if (controllerHostUrl !== undefined) providerSettings.controllerHostUrl = controllerHostUrl;
  const { indexHost, headers, timeoutMs } = settings;
  // A number, or its text (settings may come from a configuration file or the environment).
  if (typeof timeoutMs === 'number' || (typeof timeoutMs === 'string' && timeoutMs.trim() !== '')) {
    providerSettings.timeoutMs = Number(timeoutMs);
    validateTimeoutMs(providerSettings.timeoutMs, 'settings.timeoutMs');
  } else if (timeoutMs !== undefined) {
    throw invalidSetting('timeoutMs', 'a positive number of milliseconds');
  }
  if (typeof indexHost === 'string' || isStringRecord(indexHost))
    providerSettings.indexHost = indexHost;
  else if (indexHost !== undefined)
    throw invalidSetting('indexHost', 'a string or an object of strings');
  if (isStringRecord(headers)) providerSettings.headers = headers;
  else if (headers !== undefined) throw invalidSetting('headers', 'an object of strings');
  return createPinecone(providerSettings);
}

function readString(settings: Record<string, unknown>, key: string): string | undefined {
  const value = settings[key];
  if (value === undefined || typeof value === 'string') return value;
  throw invalidSetting(key, 'a string');
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function invalidSetting(key: string, expected: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: `settings.${key}`, message: `must be ${expected}.` });
}
