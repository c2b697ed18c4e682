/**
 * Types shared by every v1 stage specification.
 *
 * The spec folder is pure types: no runtime code, so a provider package can depend on the
 * contract without pulling in the pipeline. A future v2 lives beside this folder and is adapted
 * to v1 at the boundary instead of breaking it.
 */

/** Any JSON value. */
export type JsonValue = null | string | number | boolean | JsonObject | JsonValue[];

/** A JSON object (what an adapter receives for structured documents). */
export type JsonObject = { [key: string]: JsonValue | undefined };

/**
 * Metadata attached to a document, in the value types Pinecone accepts (so the same record
 * moves between the embedded index and Pinecone unchanged).
 */
export type DocumentMetadata = Record<string, string | number | boolean | string[]>;

/**
 * A metadata filter in Pinecone's filter language: `$eq $ne $gt $gte $lt $lte $in $nin $exists`
 * on fields, combined with `$and` / `$or`; a bare value means `$eq`. A field holding an array
 * matches when any element does.
 *
 * @example { genre: { $in: ['loan', 'card'] }, year: { $gte: 2020 } }
 * @see https://docs.pinecone.io/guides/search/filter-by-metadata
 */
export type MetadataFilter = { readonly [key: string]: unknown };

/** Extra HTTP headers for one call; `undefined` values are dropped. */
export type HeadersV1 = Record<string, string | undefined>;

/**
 * Provider-specific options, keyed by provider name (`{ cohere: { maxTokensPerDoc: 512 } }`).
 * Keying by provider lets one configuration carry options for several providers, so swapping the
 * provider by configuration never sends one vendor's options to another.
 */
export type ProviderOptionsV1 = Record<string, Record<string, unknown>>;

/**
 * A warning from a stage: a setting it could not honour, or an input it had to render lossily
 * (for example an object document flattened to text).
 */
export type WarningV1 =
  | { type: 'unsupported-setting'; setting: string; details?: string }
  | { type: 'lossy-input'; details: string }
  | { type: 'other'; message: string };

/** What came back from the provider, for debugging. Never holds request secrets. */
export type ResponseMetadataV1 = {
  /** The provider's request or response id, when it returns one. */
  id?: string;
  /** The model that answered, when the provider reports it. */
  modelId?: string;
  /** Response headers (secret-bearing headers removed). */
  headers?: Record<string, string>;
  /** The raw response body, when there is one. */
  body?: unknown;
};

/** The options every `do*` call accepts. */
export type CallOptionsV1 = {
  /** Cancels the call; the stage rejects with an `AbortedError` and leaves nothing running. */
  abortSignal?: AbortSignal;
  /** Extra HTTP headers, for providers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
};
