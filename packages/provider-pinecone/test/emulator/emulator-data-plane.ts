import type { MetadataFilter } from '@twostage/core';
import type { Answer, EmulatedOperation, RecordedRequest } from './emulator-http.js';
import { countTokens, type EmulatedIndex, namespaceKey, ServiceError } from './emulator-index.js';
import { relevanceScore } from './emulator-text.js';

/** Largest upsert request body. @see https://docs.pinecone.io/reference/quotas-and-limits */
const maxRequestBytes = 2 * 1024 * 1024;

/** Answers a data-plane operation on one index. */
export function answerDataPlane(
  operation: EmulatedOperation,
  target: EmulatedIndex,
  request: RecordedRequest,
  rawBody: string,
): Answer {
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (operation) {
    case 'upsert': {
      const vectors = body.vectors as {
        id: string;
        values: number[];
        metadata?: Record<string, unknown>;
      }[];
      if (Buffer.byteLength(rawBody, 'utf8') > maxRequestBytes) {
        throw new ServiceError(
          400,
          'INVALID_ARGUMENT',
          `Request size ${rawBody.length} bytes exceeds the limit of ${maxRequestBytes} bytes.`,
        );
      }
      if (vectors.length > 1000)
        throw new ServiceError(
          400,
          'INVALID_ARGUMENT',
          `Upsert holds ${vectors.length} vectors; the limit is 1000.`,
        );
      for (const vector of vectors) {
        target.upsert(body.namespace as string | undefined, {
          id: vector.id,
          values: vector.values,
          metadata: vector.metadata,
        });
      }
      return { status: 200, body: { upsertedCount: vectors.length } };
    }
    case 'query': {
      const namespace = body.namespace as string | undefined;
      let vector = body.vector as number[] | undefined;
      if (body.id !== undefined)
        vector = target.records(namespace).get(body.id as string)?.values ?? [];
      if (vector === undefined)
        throw new ServiceError(400, 'INVALID_ARGUMENT', 'A query needs a vector or an id.');
      const matches = target
        .search(namespace, vector, body.topK as number, body.filter as MetadataFilter | undefined)
        .map(({ record, score }) => ({
          id: record.id,
          score,
          values: body.includeValues === true ? record.values : [],
          ...(body.includeMetadata === true && record.metadata !== undefined
            ? { metadata: record.metadata }
            : {}),
        }));
      return {
        status: 200,
        body: {
          matches,
          namespace: namespace ?? '',
          usage: { readUnits: 1 + Math.floor(matches.length / 10) },
        },
      };
    }
    case 'fetch': {
      const namespace = request.query.get('namespace') ?? undefined;
      const records = target.records(namespace);
      const vectors: Record<string, unknown> = {};
      for (const id of request.query.getAll('ids')) {
        const record = records.get(id);
        if (record !== undefined)
          vectors[id] = {
            id,
            values: record.values,
            ...(record.metadata === undefined ? {} : { metadata: record.metadata }),
          };
      }
      return {
        status: 200,
        body: { vectors, namespace: namespace ?? '', usage: { readUnits: 1 } },
      };
    }
    case 'delete':
      target.delete(
        body.namespace as string | undefined,
        body as { ids?: string[]; deleteAll?: boolean; filter?: MetadataFilter },
      );
      return { status: 200, body: {} };
    case 'describeIndexStats': {
      const namespaces: Record<string, { vectorCount: number }> = {};
      let total = 0;
      for (const [name, records] of target.namespaces) {
        if (records.size === 0) continue;
        namespaces[name] = { vectorCount: records.size };
        total += records.size;
      }
      return {
        status: 200,
        body: {
          namespaces,
          dimension: target.dimension,
          indexFullness: 0,
          totalVectorCount: total,
          metric: target.metric,
          vectorType: 'dense',
        },
      };
    }
    case 'upsertRecords':
      return upsertRecords(
        target,
        namespaceOfPath(request.rawPath),
        request.body as Record<string, unknown>[],
      );
    case 'searchRecords':
      return searchRecords(target, namespaceOfPath(request.rawPath), body);
    default:
      throw new ServiceError(404, 'NOT_FOUND', `No route for ${operation}`);
  }
}

/** The namespace segment of `/records/namespaces/{namespace}/...`, decoded. */
function namespaceOfPath(rawPath: string): string {
  return decodeURIComponent(rawPath.split('/')[3] ?? '');
}

function upsertRecords(
  index: EmulatedIndex,
  namespace: string,
  records: Record<string, unknown>[],
): Answer {
  if (index.integrated === undefined) {
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Index ${index.name} has no integrated embedding; upsert vectors instead.`,
    );
  }
  if (records.length > 1000)
    throw new ServiceError(
      400,
      'INVALID_ARGUMENT',
      `Upsert holds ${records.length} records; the limit is 1000.`,
    );
  const { textField } = index.integrated;
  for (const record of records) {
    if ((record._id === undefined) === (record.id === undefined)) {
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        'Each record needs exactly one of _id and id.',
      );
    }
    const id = String(record._id ?? record.id);
    const text = record[textField];
    if (typeof text !== 'string')
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Record ${id} has no string field '${textField}' to embed.`,
      );
    const { _id: _ignoredId, id: _ignoredAlias, ...fields } = record;
    index.upsert(namespaceKey(namespace), { id, values: index.embedText(text), metadata: fields });
  }
  return { status: 201 };
}

function searchRecords(
  index: EmulatedIndex,
  namespace: string,
  body: Record<string, unknown>,
): Answer {
  const query = body.query as {
    top_k: number;
    filter?: MetadataFilter;
    inputs?: { text?: unknown };
    id?: string;
    vector?: { values?: number[] };
  };
  let vector: number[] | undefined;
  let queryText: string | undefined;
  if (typeof query.inputs?.text === 'string') {
    if (index.integrated === undefined)
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        `Index ${index.name} has no integrated embedding; search by vector.`,
      );
    queryText = query.inputs.text;
    vector = index.embedText(queryText);
  } else if (query.vector?.values !== undefined) {
    vector = query.vector.values;
  } else if (query.id !== undefined) {
    vector = index.records(namespace).get(query.id)?.values ?? [];
  }
  if (vector === undefined)
    throw new ServiceError(400, 'INVALID_ARGUMENT', 'A search needs inputs.text, vector or id.');
  let hits = index
    .search(namespace, vector, query.top_k, query.filter)
    .map(({ record, score }) => ({ record, score }));
  const rerankRequest = body.rerank as
    | { model: string; rank_fields: string[]; top_n?: number; query?: string }
    | undefined;
  if (rerankRequest !== undefined) {
    const rerankQuery = rerankRequest.query ?? queryText;
    if (rerankQuery === undefined)
      throw new ServiceError(
        400,
        'INVALID_ARGUMENT',
        'rerank.query is required when searching by vector or id.',
      );
    hits = hits
      .map(({ record }) => ({
        record,
        score: relevanceScore(
          rerankQuery,
          rerankRequest.rank_fields
            .map((field) => String(record.metadata?.[field] ?? ''))
            .join('\n'),
        ),
      }))
      .sort((left, right) => right.score - left.score)
      .slice(0, rerankRequest.top_n ?? query.top_k);
  }
  const fields = body.fields as string[] | undefined;
  return {
    status: 200,
    body: {
      result: {
        hits: hits.map(({ record, score }) => ({
          _id: record.id,
          _score: score,
          fields:
            fields === undefined
              ? { ...record.metadata }
              : Object.fromEntries(
                  fields
                    .filter((field) => record.metadata?.[field] !== undefined)
                    .map((field) => [field, record.metadata?.[field]]),
                ),
        })),
      },
      usage: {
        read_units: 1,
        ...(queryText === undefined ? {} : { embed_total_tokens: countTokens(queryText) }),
      },
    },
  };
}
