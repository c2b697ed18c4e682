import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type {
  RankedIndexV1,
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
} from '../spec/v1/rerank-stage-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { describe, validateInteger } from '../util/validate-arguments.js';
import { wrapRerankStage } from './wrap-rerank-stage.js';

/**
 * Where cached scores live: any object with `get(key)` and `set(key, value, ttlMs)`, synchronous
 * or not — a Keyv instance as it is (Redis, SQLite, Postgres through Keyv's adapters), or the
 * in-memory LRU that is the default.
 */
export type RerankCacheStore = {
  get(key: string): unknown | PromiseLike<unknown>;
  set(key: string, value: number, ttlMs?: number): unknown;
};

/** Options of {@link withCache}. */
export type RerankCacheOptions = {
  /** Where scores are kept. @default an in-memory LRU of `maxEntries` pairs */
  store?: RerankCacheStore;
  /** How long a score stays valid, in milliseconds. @default 3600000 (one hour) */
  ttlMs?: number;
  /** The most pairs the default in-memory store keeps. @default 10000 */
  maxEntries?: number;
  /**
   * What identifies the model beyond `provider:modelId`: the hash of a local model's files, a
   * deployment's version. Change it and every score is asked for again.
   * @default ''
   */
  modelVersion?: string;
};

const optionNames = [
  'store',
  'ttlMs',
  'maxEntries',
  'modelVersion',
] as const satisfies readonly (keyof RerankCacheOptions)[];

/**
 * A rerank stage that remembers its scores, pair by pair. A pair's key is the provider, the
 * model id (and `modelVersion`), every call option that changes scores (the document format and
 * the provider options), the query and a SHA-256 of the document. A call whose documents are
 * all cached never reaches the stage; a partial hit sends the stage only the misses (all of
 * them, whatever the `topN`, since each score is kept), then merges. `usage.cacheHits` and
 * `usage.cacheMisses` count the documents. Share the returned stage: the cache lives in it.
 *
 * @throws InvalidArgumentError for a stage that is not a v1 rerank stage, or bad options
 */
export function withCache(stage: RerankStageV1, options: RerankCacheOptions = {}): RerankStageV1 {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `must be an object, got ${describe(options)}.`,
    });
  }
  checkOptionNames(options, optionNames, 'withCache()');
  const ttlMs = validateInteger(options.ttlMs ?? 3_600_000, 'ttlMs', { min: 1 });
  const maxEntries = validateInteger(options.maxEntries ?? 10_000, 'maxEntries', { min: 1 });
  const modelVersion = options.modelVersion ?? '';
  if (typeof modelVersion !== 'string') {
    throw new InvalidArgumentError({
      argument: 'modelVersion',
      message: `must be a string, got ${describe(modelVersion)}.`,
    });
  }
  const store = options.store ?? lruStore(maxEntries, ttlMs);
  if (typeof store?.get !== 'function' || typeof store?.set !== 'function') {
    throw new InvalidArgumentError({
      argument: 'store',
      message: `must have get(key) and set(key, value, ttlMs) methods (a Keyv instance works), got ${describe(store)}.`,
    });
  }

  return wrapRerankStage(stage, {
    async wrapCall({ doCall, options: call, stage: inner }) {
      const prefix = callPrefix(inner, modelVersion, call);
      const keys = call.documents.values.map((document) => `${prefix}:${sha256(document)}`);
      const cached = await Promise.all(keys.map((key) => store.get(key)));
      const scores: (number | undefined)[] = cached.map((value) =>
        typeof value === 'number' && Number.isFinite(value) ? value : undefined,
      );
      const misses = scores.flatMap((score, index) => (score === undefined ? [index] : []));
      let result: RerankStageV1Result = { ranking: [] };
      if (misses.length > 0) {
        result = await missesOnly(doCall, inner, call, misses);
        for (const { index, score } of result.ranking) {
          const original = misses[index] as number;
          scores[original] = score;
          await store.set(keys[original] as string, score, ttlMs);
        }
      }
      const ranking: RankedIndexV1[] = [];
      scores.forEach((score, index) => {
        if (score !== undefined) ranking.push({ index, score });
      });
      ranking.sort((left, right) => right.score - left.score || left.index - right.index);
      if (call.topN !== undefined && ranking.length > call.topN) ranking.length = call.topN;
      const merged: RerankStageV1Result = {
        ...result,
        ranking,
        usage: {
          ...result.usage,
          cacheHits: keys.length - misses.length,
          cacheMisses: misses.length,
        },
      };
      return merged;
    },
  });
}

/** Asks the stage for the misses alone, with every score wanted (no topN). */
async function missesOnly(
  doCall: () => Promise<RerankStageV1Result>,
  stage: RerankStageV1,
  call: RerankStageV1CallOptions,
  misses: readonly number[],
): Promise<RerankStageV1Result> {
  if (misses.length === call.documents.values.length && call.topN === undefined) return doCall();
  const documents =
    call.documents.type === 'text'
      ? {
          type: 'text' as const,
          values: misses.map((index) => call.documents.values[index] as string),
        }
      : {
          type: 'object' as const,
          values: misses.map(
            (index) =>
              call.documents.values[index] as (typeof call.documents.values)[number] & object,
          ),
        };
  const { topN: _topN, ...rest } = call;
  return stage.doRerank({ ...rest, documents } as RerankStageV1CallOptions);
}

/** Everything of a call that changes scores, except the documents themselves. */
function callPrefix(
  stage: RerankStageV1,
  modelVersion: string,
  call: RerankStageV1CallOptions,
): string {
  return sha256([
    stage.provider,
    stage.modelId,
    modelVersion,
    call.documents.type,
    call.query,
    call.providerOptions ?? null,
  ]);
}

function sha256(value: unknown): string {
  return createHash('sha256')
    .update(typeof value === 'string' ? value : JSON.stringify(value))
    .digest('base64url');
}

function lruStore(maxEntries: number, ttlMs: number): RerankCacheStore {
  const cache = new LRUCache<string, number>({ max: maxEntries, ttl: ttlMs });
  return {
    get: (key) => cache.get(key),
    set: (key, value, ttl) => cache.set(key, value, ttl === undefined ? {} : { ttl }),
  };
}
