import { AbortedError, ApiCallError, InvalidArgumentError, RetryError } from '@twostage/core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  MetadataTooLargeError,
  type PineconeDocument,
  UpsertAbortedError,
  type UpsertProgress,
} from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

function corpus(count: number, prefix = 'doc'): PineconeDocument[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    text: `Policy ${index}: the fee schedule for product ${index % 7}.`,
    metadata: { position: index, product: `p${index % 7}` },
  }));
}

const idsOf = (documents: readonly PineconeDocument[]) =>
  documents.map((document) => String(document.id));
const upsertedIds = (
  operation: 'upsert' | 'upsertRecords',
  requests = bed.emulator.requestsOf(operation),
) =>
  requests.map((request) =>
    operation === 'upsert'
      ? (request.body as { vectors: { id: string }[] }).vectors.map((vector) => vector.id)
      : (request.body as { _id: string }[]).map((record) => record._id),
  );

describe('upsertDocuments, vectors', () => {
  test('embeds as passages and upserts in batches of batchSize, storing the text in the metadata', async () => {
    const index = await bed.createIndex();
    const documents = corpus(25);
    const before = bed.emulator.requestsOf('upsert').length;
    const result = await bed.provider.upsertDocuments({
      index,
      namespace: 'policies',
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 10,
    });

    expect(result).toEqual({ upserted: idsOf(documents), failed: [] });
    const batches = upsertedIds('upsert', bed.emulator.requestsOf('upsert').slice(before));
    expect(batches.map((ids) => ids.length).sort((left, right) => right - left)).toEqual([
      10, 10, 5,
    ]);
    expect(batches.flat().sort()).toEqual(idsOf(documents).sort());
    const stored = bed.emulator.index(index).records('policies').get('doc-3');
    expect(stored?.metadata).toEqual({
      position: 3,
      product: 'p3',
      text: 'Policy 3: the fee schedule for product 3.',
    });
    expect(bed.emulator.requestsOf('embed').at(-1)?.body).toMatchObject({
      parameters: { input_type: 'passage' },
    });
  });

  test('without batchSize, a batch is one embed call of the embedding model (96 for multilingual-e5-large)', async () => {
    const index = await bed.createIndex();
    const documents = corpus(200);
    const embedModel = bed.provider.embeddingModel('multilingual-e5-large');
    expect(embedModel.maxEmbeddingsPerCall).toBe(96);
    const embedsBefore = bed.emulator.requestsOf('embed').length;
    const upsertsBefore = bed.emulator.requestsOf('upsert').length;
    const result = await bed.provider.upsertDocuments({
      index,
      namespace: 'default-batch',
      documents,
      embeddingModel: embedModel,
    });
    expect(result).toEqual({ upserted: idsOf(documents), failed: [] });
    const batches = upsertedIds('upsert', bed.emulator.requestsOf('upsert').slice(upsertsBefore));
    expect(batches.map((ids) => ids.length).sort((left, right) => right - left)).toEqual([
      96, 96, 8,
    ]);
    expect(bed.emulator.requestsOf('embed').length - embedsBefore).toBe(3);
  });

  test('splits batches by serialised size: every request stays under maxRequestBytes', async () => {
    const index = await bed.createIndex();
    const documents = corpus(40);
    const before = bed.emulator.requestsOf('upsert').length;
    const maxRequestBytes = 100_000;
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 1000,
      maxRequestBytes,
    });

    expect(result.failed).toEqual([]);
    const requests = bed.emulator.requestsOf('upsert').slice(before);
    // 1024 dense float32 values take ~11 kB in JSON: 40 vectors need at least four 100 kB requests.
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const [position, request] of requests.entries()) {
      expect(request.bytes).toBeLessThanOrEqual(maxRequestBytes);
      // Greedy packing: the next request's first vector would not have fitted into this one.
      const next = requests[position + 1]?.body as { vectors: unknown[] } | undefined;
      if (next !== undefined) {
        expect(
          request.bytes + 1 + Buffer.byteLength(JSON.stringify(next.vectors[0])),
        ).toBeGreaterThan(maxRequestBytes);
      }
    }
    expect(upsertedIds('upsert', requests).flat()).toEqual(idsOf(documents));
  });

  test("with the defaults, 300 vectors of 1024 dimensions fit Pinecone's 2 MB limit", async () => {
    const index = await bed.createIndex();
    const documents = corpus(300);
    const before = bed.emulator.requestsOf('upsert').length;
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 1000,
    });
    expect(result.failed).toEqual([]);
    const requests = bed.emulator.requestsOf('upsert').slice(before);
    // About 3.5 MB of vectors: more than one request, none over the limit.
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(request.bytes).toBeLessThanOrEqual(2_000_000);
    expect(bed.emulator.index(index).records().size).toBe(300);
  });

  test('vectors are sent with 9 significant digits, which restore the float32 values exactly', async () => {
    const index = await bed.createIndex();
    const model = bed.provider.embeddingModel('multilingual-e5-large');
    await bed.provider.upsertDocuments({
      index,
      documents: [{ id: 'one', text: 'exactly this text' }],
      embeddingModel: model,
    });
    const [expected] = (
      await model.doEmbed({ values: ['exactly this text'], inputType: 'document' })
    ).embeddings;
    const stored = bed.emulator.index(index).records().get('one')?.values ?? [];
    expect(Float32Array.from(stored)).toEqual(expected);
  });

  test("a batch split by size into several requests: only the failing request's ids fail", async () => {
    const index = await bed.createIndex();
    const documents = corpus(12);
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) =>
        request.index === index &&
        (request.body as { vectors: { id: string }[] }).vectors.some(
          (vector) => vector.id === 'doc-5',
        ),
      status: 400,
      body: { code: 3, message: 'Refused', details: [] },
    });
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 1000,
      // About three 1024-dimension vectors per request: one batch, several requests.
      maxRequestBytes: 50_000,
    });

    const requests = upsertedIds(
      'upsert',
      bed.emulator.requestsOf('upsert').filter((request) => request.index === index),
    );
    const refused = requests.find((ids) => ids.includes('doc-5')) ?? [];
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(refused).not.toContain('doc-0');
    expect(refused).not.toContain('doc-11');
    expect(result.failed.map((failure) => failure.id)).toEqual(refused);
    expect(result.upserted).toEqual(idsOf(documents).filter((id) => !refused.includes(id)));
    expect([...bed.emulator.index(index).records().keys()].sort()).toEqual(
      result.upserted.slice().sort(),
    );
  });

  test('a failing batch is reported id by id; the other batches land', async () => {
    const index = await bed.createIndex();
    const documents = corpus(30);
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) =>
        (request.body as { vectors: { id: string }[] }).vectors.some(
          (vector) => vector.id === 'doc-12',
        ),
      status: 400,
      body: { code: 3, message: 'Metadata field rejected', details: [] },
    });
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 10,
    });

    const failedIds = [
      'doc-10',
      'doc-11',
      'doc-12',
      'doc-13',
      'doc-14',
      'doc-15',
      'doc-16',
      'doc-17',
      'doc-18',
      'doc-19',
    ];
    expect(result.failed.map((failure) => failure.id)).toEqual(failedIds);
    expect(result.upserted).toEqual(idsOf(documents).filter((id) => !failedIds.includes(id)));
    const error = result.failed[0]?.error;
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 400,
      isRetryable: false,
      responseBody: { code: 3, message: 'Metadata field rejected', details: [] },
    });
    expect(String(error?.message)).toContain('Metadata field rejected');
    expect([...bed.emulator.index(index).records().keys()].sort()).toEqual(
      result.upserted.slice().sort(),
    );
  });

  test('a batch whose embedding fails is reported with that error; the others land', async () => {
    const index = await bed.createIndex();
    const documents = corpus(9);
    bed.emulator.fault({
      operation: 'embed',
      when: (request) =>
        (request.body as { inputs: { text: string }[] }).inputs.some((input) =>
          input.text.startsWith('Policy 4:'),
        ),
      status: 400,
      body: {
        status: 400,
        error: { code: 'INVALID_ARGUMENT', message: 'Input rejected by the model' },
      },
    });
    const progress: UpsertProgress[] = [];
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 3,
      onProgress: (event) => progress.push(event),
    });
    expect(result.upserted).toEqual(['doc-0', 'doc-1', 'doc-2', 'doc-6', 'doc-7', 'doc-8']);
    expect(result.failed.map((failure) => failure.id)).toEqual(['doc-3', 'doc-4', 'doc-5']);
    expect(result.failed[0]?.error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(String(result.failed[0]?.error.message)).toContain('Input rejected by the model');
    const failedBatch = progress.find((event) => event.batch.error !== undefined);
    expect(failedBatch?.batch.ids).toEqual(['doc-3', 'doc-4', 'doc-5']);
    expect(progress.at(-1)).toMatchObject({ total: 9 });
    expect(progress.map((event) => [event.upserted, event.failed]).at(-1)).toEqual([6, 3]);
  });

  test('a 429 batch is retried after Retry-After and lands', async () => {
    const index = await bed.createIndex();
    const documents = corpus(6);
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) =>
        (request.body as { vectors: { id: string }[] }).vectors.some(
          (vector) => vector.id === 'doc-0',
        ),
      status: 429,
      body: { code: 8, message: 'Too many requests', details: [] },
      headers: { 'retry-after-ms': '20' },
    });
    const progress: UpsertProgress[] = [];
    const before = bed.emulator.requestsOf('upsert').length;
    const result = await bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 3,
      onProgress: (event) => progress.push(event),
    });

    expect(result).toEqual({ upserted: idsOf(documents), failed: [] });
    const sent = upsertedIds('upsert', bed.emulator.requestsOf('upsert').slice(before));
    expect(sent.filter((ids) => ids.includes('doc-0'))).toEqual([
      ['doc-0', 'doc-1', 'doc-2'],
      ['doc-0', 'doc-1', 'doc-2'],
    ]);
    expect(progress.at(-1)).toMatchObject({ total: 6, upserted: 6, failed: 0 });
    expect(progress.map((event) => event.batch.ids).sort()).toEqual([
      ['doc-0', 'doc-1', 'doc-2'],
      ['doc-3', 'doc-4', 'doc-5'],
    ]);
  });

  test('a batch that keeps failing with 503 is reported with a RetryError after maxRetries', async () => {
    const index = await bed.createIndex();
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) => request.index === index,
      status: 503,
      times: 2,
      headers: { 'retry-after-ms': '1' },
    });
    const before = bed.emulator.requestsOf('upsert').length;
    const result = await bed.provider.upsertDocuments({
      index,
      documents: corpus(2),
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      maxRetries: 1,
    });
    expect(result.upserted).toEqual([]);
    expect(result.failed.map((failure) => failure.id)).toEqual(['doc-0', 'doc-1']);
    const error = result.failed[0]?.error;
    expect(RetryError.isInstance(error)).toBe(true);
    expect(
      (error as RetryError).errors.map((attempt) => (attempt as ApiCallError).statusCode),
    ).toEqual([503, 503]);
    expect(bed.emulator.requestsOf('upsert').length - before).toBe(2);
  });

  test('re-running is idempotent: ids derived from the text, same records, no duplicates', async () => {
    const index = await bed.createIndex();
    const documents = [
      { text: 'Savings accounts earn interest monthly.' },
      { text: 'Lãi suất tiết kiệm 12 tháng.', metadata: { language: 'vi' } },
    ];
    const options = {
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    };
    const first = await bed.provider.upsertDocuments(options);
    const snapshot = structuredClone([...bed.emulator.index(index).records().entries()]);
    const second = await bed.provider.upsertDocuments(options);

    expect(second).toEqual(first);
    expect(first.upserted[0]).toMatch(/^doc-[0-9a-f]{32}$/);
    expect([...bed.emulator.index(index).records().entries()]).toEqual(snapshot);
    expect(snapshot.map(([id]) => id)).toEqual(first.upserted);
  });

  test('abort stops further batches and rejects at once with AbortedError', async () => {
    const index = await bed.createIndex();
    const controller = new AbortController();
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) => request.index === index,
      delayMs: 10_000,
      times: 100,
    });
    const before = bed.emulator.requestsOf('upsert').length;
    const progress: UpsertProgress[] = [];
    const call = bed.provider.upsertDocuments({
      index,
      documents: corpus(40),
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 5,
      concurrency: 2,
      abortSignal: controller.signal,
      onProgress: (event) => progress.push(event),
    });
    // Abort once the first two batches are in flight (held by the emulator).
    while (bed.emulator.requestsOf('upsert').length - before < 2)
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('stop'));
    const error = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bed.emulator.requestsOf('upsert').length - before).toBe(2);
    expect(progress).toEqual([]);
  });

  test('abort mid-ingestion reports, id by id, what landed, failed, was in flight and was never sent', async () => {
    const index = await bed.createIndex();
    const documents = corpus(40);
    const carries = (request: { body: unknown }, id: string) =>
      (request.body as { vectors: { id: string }[] }).vectors.some((vector) => vector.id === id);
    // Batches of 5, two at a time: batch 1 (doc-0…4) lands, batch 3 (doc-10…14) is refused,
    // batches 2 and 4 (doc-5…9, doc-15…19) hang; the rest are never reached.
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) => request.index === index && carries(request, 'doc-10'),
      status: 400,
      body: { code: 3, message: 'Refused', details: [] },
    });
    bed.emulator.fault({
      operation: 'upsert',
      when: (request) =>
        request.index === index && (carries(request, 'doc-5') || carries(request, 'doc-15')),
      delayMs: 60_000,
      times: 2,
    });
    const controller = new AbortController();
    const progress: UpsertProgress[] = [];
    const call = bed.provider.upsertDocuments({
      index,
      documents,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      batchSize: 5,
      concurrency: 2,
      abortSignal: controller.signal,
      onProgress: (event) => progress.push(event),
    });
    const sentTo = () =>
      bed.emulator.requestsOf('upsert').filter((request) => request.index === index);
    while (progress.length < 2 || sentTo().length < 4)
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('stop'));
    const error = await call.catch((caught: unknown) => caught);

    expect(AbortedError.isInstance(error)).toBe(true);
    expect(UpsertAbortedError.isInstance(error)).toBe(true);
    const aborted = error as UpsertAbortedError;
    expect(aborted.reason).toEqual(new Error('stop'));
    expect(aborted.upserted).toEqual(idsOf(documents.slice(0, 5)));
    expect(aborted.failed.map((failure) => failure.id)).toEqual(idsOf(documents.slice(10, 15)));
    expect(aborted.failed[0]?.error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(aborted.inFlight).toEqual(
      idsOf([...documents.slice(5, 10), ...documents.slice(15, 20)]),
    );
    expect(aborted.notAttempted).toEqual(idsOf(documents.slice(20)));
    expect([...bed.emulator.index(index).records().keys()].sort()).toEqual(aborted.upserted.sort());
  });

  test('an onProgress that throws stops further batches; the call rejects with its error once nothing is in flight', async () => {
    const index = await bed.createIndex();
    const callbackError = new Error('progress bar crashed');
    const sentTo = () =>
      bed.emulator.requestsOf('upsert').filter((request) => request.index === index).length;
    const error = await bed.provider
      .upsertDocuments({
        index,
        documents: corpus(6),
        embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
        batchSize: 2,
        concurrency: 1,
        onProgress: () => {
          throw callbackError;
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBe(callbackError);
    // Nothing goes on writing behind the caller's back once the call has settled.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sentTo()).toBe(1);
    expect([...bed.emulator.index(index).records().keys()]).toEqual(['doc-0', 'doc-1']);
  });

  test('an already aborted signal sends nothing and reports every id as not attempted', async () => {
    const before = bed.emulator.requests.length;
    const error = await bed.provider
      .upsertDocuments({
        index: 'any',
        documents: corpus(3),
        embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
        abortSignal: AbortSignal.abort(),
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      upserted: [],
      failed: [],
      inFlight: [],
      notAttempted: ['doc-0', 'doc-1', 'doc-2'],
    });
    expect(bed.emulator.requests.length).toBe(before);
  });

  test('a document whose metadata exceeds 40 KB fails up front with a typed error naming it', async () => {
    const index = await bed.createIndex();
    const before = bed.emulator.requests.length;
    const documents = [...corpus(3), { id: 'huge', text: 'x '.repeat(25_000) }];
    const error = await bed.provider
      .upsertDocuments({
        index,
        documents,
        embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
      })
      .catch((caught: unknown) => caught);
    expect(MetadataTooLargeError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ id: 'huge', limitBytes: 40_960, argument: 'documents[3]' });
    expect(bed.emulator.requests.length).toBe(before);
  });

  test('repeated ids and metadata Pinecone cannot store fail up front', async () => {
    const model = bed.provider.embeddingModel('multilingual-e5-large');
    await expect(
      bed.provider.upsertDocuments({
        index: 'any',
        documents: [{ text: 'same' }, { text: 'same' }],
        embeddingModel: model,
      }),
    ).rejects.toThrow(/also the id of documents\[0\]/);
    await expect(
      bed.provider.upsertDocuments({
        index: 'any',
        documents: [{ id: 'a', text: 'x', metadata: { nested: { a: 1 } as unknown as string } }],
        embeddingModel: model,
      }),
    ).rejects.toThrow(/documents\[0\]\.metadata\.nested/);
    await expect(
      bed.provider.upsertDocuments({
        index: 'any',
        documents: [{ id: 'a', text: 'x', metadata: { text: 'clash' } }],
        embeddingModel: model,
      }),
    ).rejects.toThrow(/rename this field/);
  });
});

describe('upsertDocuments, records (integrated embedding)', () => {
  test('sends NDJSON with _id and the text field, at most 96 records per request, namespace encoded', async () => {
    const index = await bed.createIndex({
      integrated: { model: 'llama-text-embed-v2', textField: 'chunk_text' },
    });
    const documents = corpus(100);
    const before = bed.emulator.requestsOf('upsertRecords').length;
    const result = await bed.provider.upsertDocuments({
      index,
      namespace: 'team a/b',
      documents,
      textField: 'chunk_text',
    });

    expect(result).toEqual({ upserted: idsOf(documents), failed: [] });
    const requests = bed.emulator.requestsOf('upsertRecords').slice(before);
    expect(requests.map((request) => (request.body as unknown[]).length)).toEqual([96, 4]);
    expect(requests[0]?.rawPath).toBe('/records/namespaces/team%20a%2Fb/upsert');
    expect(requests[0]?.headers['content-type']).toBe('application/x-ndjson');
    expect((requests[0]?.body as unknown[] | undefined)?.[5]).toEqual({
      _id: 'doc-5',
      chunk_text: 'Policy 5: the fee schedule for product 5.',
      position: 5,
      product: 'p5',
    });
    expect(bed.emulator.index(index).records('team a/b').size).toBe(100);
  });

  test("the namespace '' is the default namespace, as for vectors", async () => {
    const index = await bed.createIndex({
      integrated: { model: 'llama-text-embed-v2', textField: 'text' },
    });
    const result = await bed.provider.upsertDocuments({
      index,
      namespace: '',
      documents: corpus(2),
    });
    expect(result).toEqual({ upserted: ['doc-0', 'doc-1'], failed: [] });
    expect(bed.emulator.requestsOf('upsertRecords').at(-1)?.rawPath).toBe(
      '/records/namespaces/__default__/upsert',
    );
    expect([...bed.emulator.index(index).records().keys()]).toEqual(['doc-0', 'doc-1']);
  });
});
