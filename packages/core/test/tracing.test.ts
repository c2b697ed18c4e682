import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiCallError, twoStage } from '../src/index.js';
import { MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';

// OpenTelemetry spans through @opentelemetry/api (an optional peer; no SDK in core), checked with
// the SDK's in-memory exporter: one span per search, one per stage beneath it.

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
});
afterAll(() => {
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

const retriever = new MockRetrieveStage({
  documents: [
    { id: 'fee', text: 'early repayment fee of a home loan' },
    { id: 'card', text: 'report a lost card' },
  ],
});

describe('spans', () => {
  test('a search is one twostage.twoStage span with the two stages beneath it', async () => {
    await twoStage({ query: 'repayment fee', retriever, reranker: new MockRerankStage() });
    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((span) => [span.name, span]));
    const root = byName.get('twostage.twoStage');
    const retrieveSpan = byName.get('twostage.retrieve');
    const rerankSpan = byName.get('twostage.rerank');
    expect([...byName.keys()].sort()).toEqual([
      'twostage.rerank',
      'twostage.retrieve',
      'twostage.twoStage',
    ]);
    expect(retrieveSpan?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(rerankSpan?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(root?.attributes).toMatchObject({
      'twostage.retriever': 'mock:mock-index',
      'twostage.reranker': 'mock:mock-reranker',
      'twostage.results': 1,
      'twostage.degraded': false,
    });
    expect(retrieveSpan?.attributes).toMatchObject({
      'twostage.served_by': 'mock:mock-index',
      'twostage.candidates': 1,
    });
    expect(rerankSpan?.attributes).toMatchObject({ 'twostage.calls': 1 });
    // The query text is the user's data: it is not put on spans.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('repayment');
  });

  test('a failing stage records its error on its span', async () => {
    const reranker = new MockRerankStage({
      faults: [
        {
          call: 1,
          error: new ApiCallError({ message: 'refused', url: 'mock://', statusCode: 400 }),
        },
      ],
    });
    await twoStage({ query: 'fee', retriever, reranker, onRerankError: 'fallback' });
    const rerankSpan = exporter.getFinishedSpans().find((span) => span.name === 'twostage.rerank');
    expect(rerankSpan?.status).toEqual({ code: 2, message: 'refused' });
    expect(rerankSpan?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
