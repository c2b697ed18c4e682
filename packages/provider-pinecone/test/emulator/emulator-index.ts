import {
  type DocumentMetadata,
  type MetadataFilter,
  matchesFilter,
  validateFilter,
} from '@twostage/core';
import { embedModels } from './emulator-models.js';
import { hashedEmbedding, tokenize } from './emulator-text.js';

/** The similarity metric of an emulated index. */
export type EmulatedMetric = 'cosine' | 'dotproduct' | 'euclidean';

/** An error the emulated service answers with (formatted per plane by the server). */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One stored record. */
export type StoredRecord = {
  id: string;
  values: number[];
  metadata: Record<string, unknown> | undefined;
};

/** How an index with integrated embedding embeds text. */
export type IntegratedEmbedding = { model: string; textField: string };

const defaultNamespace = '__default__';
const maxMetadataBytes = 40 * 1024;

/** Pinecone's default namespace is `__default__`; `''` names it too. */
export function namespaceKey(namespace: string | undefined): string {
  return namespace === undefined || namespace === '' ? defaultNamespace : namespace;
}

/** One emulated serverless index: records per namespace, searched exactly. */
export class EmulatedIndex {
  readonly namespaces = new Map<string, Map<string, StoredRecord>>();
  host = '';

  constructor(
    readonly name: string,
    readonly dimension: number,
    readonly metric: EmulatedMetric,
    readonly integrated: IntegratedEmbedding | undefined,
  ) {}

  /** The records of `namespace` (created empty on first use). */
  records(namespace?: string): Map<string, StoredRecord> {
    const key = namespaceKey(namespace);
    let records = this.namespaces.get(key);
    if (records === undefined) {
      records = new Map();
      this.namespaces.set(key, records);
    }
    return records;
  }

  /** Stores a record, checking what the service checks. */
  upsert(namespace: string | undefined, record: StoredRecord): void {
    if (record.id.length === 0 || record.id.length > 512) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Record id must be 1 to 512 characters, got ${record.id.length}.`,
      );
    }
    if (record.values.length !== this.dimension) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Vector dimension ${record.values.length} does not match the dimension of the index ${this.dimension}`,
      );
    }
    if (record.metadata !== undefined) checkMetadata(record.id, record.metadata);
    this.records(namespace).set(record.id, { ...record, values: [...record.values] });
  }

  /** The text embedding of an integrated index (passage or query input type). */
  embedText(text: string): number[] {
    const model = this.integrated === undefined ? undefined : embedModels[this.integrated.model];
    return hashedEmbedding(text, this.dimension, model?.maxTokens);
  }

  /** Exact nearest neighbours of `vector` among the records of `namespace` that match `filter`. */
  search(
    namespace: string | undefined,
    vector: readonly number[],
    topK: number,
    filter: MetadataFilter | undefined,
  ): { record: StoredRecord; score: number }[] {
    if (vector.length !== this.dimension) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Query vector dimension ${vector.length} does not match the dimension of the index ${this.dimension}`,
      );
    }
    if (filter !== undefined) {
      try {
        validateFilter(filter);
      } catch (error) {
        throw new ServiceError(
          400,
          'INVALID_ARGUMENT',
          `Invalid filter: ${(error as Error).message}`,
        );
      }
    }
    const scored: { record: StoredRecord; score: number }[] = [];
    for (const record of this.namespaces.get(namespaceKey(namespace))?.values() ?? []) {
      if (
        filter !== undefined &&
        !matchesFilter(record.metadata as DocumentMetadata | undefined, filter)
      )
        continue;
      scored.push({ record, score: score(this.metric, vector, record.values) });
    }
    // Euclidean scores are squared distances: nearest (smallest) first. Others: largest first.
    const direction = this.metric === 'euclidean' ? 1 : -1;
    scored.sort((left, right) => direction * (left.score - right.score));
    return scored.slice(0, topK);
  }

  /** Deletes records by id, by filter, or all of a namespace. */
  delete(
    namespace: string | undefined,
    request: { ids?: string[]; deleteAll?: boolean; filter?: MetadataFilter },
  ): void {
    const records = this.records(namespace);
    if (request.deleteAll === true) {
      records.clear();
      return;
    }
    if (request.ids !== undefined) {
      for (const id of request.ids) records.delete(id);
      return;
    }
    if (request.filter !== undefined) {
      for (const [id, record] of records) {
        if (matchesFilter(record.metadata as DocumentMetadata | undefined, request.filter))
          records.delete(id);
      }
    }
  }
}

function score(
  metric: EmulatedMetric,
  query: readonly number[],
  values: readonly number[],
): number {
  let dot = 0;
  let queryNorm = 0;
  let valuesNorm = 0;
  let distance = 0;
  for (let index = 0; index < query.length; index++) {
    const left = query[index] ?? 0;
    const right = values[index] ?? 0;
    dot += left * right;
    queryNorm += left * left;
    valuesNorm += right * right;
    distance += (left - right) ** 2;
  }
  if (metric === 'dotproduct') return dot;
  if (metric === 'euclidean') return distance;
  const norms = Math.sqrt(queryNorm) * Math.sqrt(valuesNorm);
  return norms === 0 ? 0 : dot / norms;
}

/** Metadata rules of the service: flat, typed, at most 40 KB, no `$` keys. */
function checkMetadata(id: string, metadata: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > maxMetadataBytes) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Metadata size is ${bytes} bytes, which exceeds the limit of ${maxMetadataBytes} bytes per vector (id ${id}).`,
    );
  }
  for (const [key, value] of Object.entries(metadata)) {
    const valid =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((element) => typeof element === 'string'));
    if (key.startsWith('$') || !valid) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Metadata field '${key}' of record ${id} has an unsupported value.`,
      );
    }
  }
}

/** Tokens of a text, as the emulated models count them. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}
