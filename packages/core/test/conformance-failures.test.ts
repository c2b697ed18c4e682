import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  type EmbeddingModelV1,
  type RerankStageV1,
  type RerankStageV1CallOptions,
  type RetrieveStageV1,
  type RetrieveStageV1CallOptions,
} from '../src/index.js';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import {
  embeddingModelTests,
  rerankStageTests,
  retrieveStageTests,
  type TestFunction,
} from '../src/testing/index.js';

// These tests prove the suites can fail: each runs a suite against a deliberately broken stage
// through a collecting `test` function, then checks which checks failed.

type Outcome = { name: string; error: unknown };

/**
 * Registers a suite with a collecting `test`, runs every check (or those named in `only`) one
 * after another, and returns the outcomes.
 */
async function runSuite(
  register: (test: TestFunction) => void,
  only?: string[],
): Promise<Outcome[]> {
  const registered: { name: string; fn: () => Promise<void> }[] = [];
  register((name, fn) => {
    if (only === undefined || only.includes(name)) registered.push({ name, fn });
  });
  const outcomes: Outcome[] = [];
  for (const { name, fn } of registered) {
    try {
      await fn();
      outcomes.push({ name, error: undefined });
    } catch (error) {
      outcomes.push({ name, error });
    }
  }
  return outcomes;
}

function failedNames(outcomes: Outcome[]): string[] {
  return outcomes.filter((outcome) => outcome.error !== undefined).map((outcome) => outcome.name);
}

function passedNames(outcomes: Outcome[]): string[] {
  return outcomes.filter((outcome) => outcome.error === undefined).map((outcome) => outcome.name);
}

/** A rerank stage whose answers pass through `transform` (built on the mock). */
function brokenRerankStage(
  transform: (
    ranking: { index: number; score: number }[],
    options: RerankStageV1CallOptions,
  ) => { index: number; score: number }[],
): RerankStageV1 {
  const mock = new MockRerankStage();
  return {
    specificationVersion: 'v1',
    provider: 'broken',
    modelId: 'broken-reranker',
    maxDocumentsPerCall: undefined,
    scoreKind: 'probability',
    async doRerank(options) {
      const result = await mock.doRerank(options);
      return { ranking: transform(result.ranking, options) };
    },
  };
}

describe('rerankStageTests fails broken stages', () => {
  test('a stage returning duplicate indices fails the ranking-shape checks', async () => {
    const stage = () =>
      brokenRerankStage((ranking) =>
        ranking.map((entry, position) => ({
          ...entry,
          index: position === 1 ? (ranking[0]?.index ?? 0) : entry.index,
        })),
      );
    const outcomes = await runSuite((test) => rerankStageTests(test, stage));
    const failed = failedNames(outcomes);
    expect(failed).toContain(
      'rerank stage: ranks every document exactly once, indices in range, finite scores sorted descending',
    );
    expect(
      String(
        outcomes.find((outcome) => outcome.name.startsWith('rerank stage: ranks every'))?.error,
      ),
    ).toMatch(/appears more than once/);
    expect(passedNames(outcomes)).toContain(
      'rerank stage: declares specificationVersion v1, provider, modelId, maxDocumentsPerCall and scoreKind',
    );
  });

  test('a stage returning unsorted scores fails the ranking-shape check', async () => {
    const stage = () =>
      brokenRerankStage((ranking) => [...ranking].sort((left, right) => left.index - right.index));
    const outcomes = await runSuite((test) => rerankStageTests(test, stage));
    const shape = outcomes.find((outcome) =>
      outcome.name.startsWith('rerank stage: ranks every document'),
    );
    expect(String(shape?.error)).toMatch(/not sorted descending/);
  });

  test('a stage returning an index out of range fails', async () => {
    const stage = () =>
      brokenRerankStage((ranking) =>
        ranking.map((entry) => ({ ...entry, index: entry.index + 1 })),
      );
    const outcomes = await runSuite((test) => rerankStageTests(test, stage));
    const shape = outcomes.find((outcome) =>
      outcome.name.startsWith('rerank stage: ranks every document'),
    );
    expect(String(shape?.error)).toMatch(/outside 0\.\./);
  });

  test('a stage ignoring topN fails the topN checks', async () => {
    const ignoringTopN = (): RerankStageV1 => {
      const mock = new MockRerankStage();
      return {
        ...brokenRerankStage((ranking) => ranking),
        doRerank: ({ topN: _ignored, ...options }) => mock.doRerank(options),
      };
    };
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, ignoringTopN)));
    expect(failed).toContain('rerank stage: returns exactly topN = 1 documents');
    expect(failed).toContain('rerank stage: returns exactly topN = 3 documents');
  });

  test('a stage writing to its inputs fails the immutability checks', async () => {
    const stage = (): RerankStageV1 => ({
      ...new MockRerankStage(),
      provider: 'broken',
      modelId: 'mutating',
      maxDocumentsPerCall: undefined,
      scoreKind: 'probability',
      specificationVersion: 'v1',
      async doRerank(options) {
        const result = await new MockRerankStage().doRerank(options);
        // Writing the scores onto the caller's documents: the classic mistake.
        if (options.documents.type === 'object') {
          for (const [index, value] of options.documents.values.entries()) value.score = index;
        } else {
          (options.documents.values as string[]).sort();
        }
        return result;
      },
    });
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, stage)));
    expect(failed).toContain(
      'rerank stage: does not mutate its inputs (text documents, deep-frozen)',
    );
    expect(failed).toContain(
      'rerank stage: does not mutate its inputs (object documents, deep-frozen)',
    );
  });

  test('a stage ignoring its abort signal fails the abort checks', async () => {
    const stage = (): RerankStageV1 => {
      const mock = new MockRerankStage();
      return {
        ...brokenRerankStage((ranking) => ranking),
        doRerank: ({ abortSignal: _ignored, ...options }) => mock.doRerank(options),
      };
    };
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, stage)));
    expect(failed).toContain('rerank stage: an already-aborted signal rejects with AbortedError');
    expect(failed).toContain(
      'rerank stage: aborting a call in flight rejects with AbortedError and leaves no timer running',
    );
  });

  test('a stage that rejects on abort but leaves its timer running fails the mid-flight check', async () => {
    const timers: NodeJS.Timeout[] = [];
    const stage = (): RerankStageV1 => ({
      ...brokenRerankStage((ranking) => ranking),
      doRerank: (options) =>
        new Promise((resolve, reject) => {
          // The timer is not cleared on abort: the call rejects, but its work goes on.
          timers.push(setTimeout(() => resolve({ ranking: [] }), 10_000));
          options.abortSignal?.addEventListener('abort', () => reject(new AbortedError()));
        }),
    });
    const midFlight =
      'rerank stage: aborting a call in flight rejects with AbortedError and leaves no timer running';
    const outcomes = await runSuite((test) => rerankStageTests(test, stage), [midFlight]);
    for (const timer of timers) clearTimeout(timer);
    expect(outcomes).toHaveLength(1);
    expect(String(outcomes[0]?.error)).toMatch(/left 1 timer\(s\) running/);
  });

  test('a timer of somebody else that expires meanwhile does not hide a leaked one', async () => {
    const timers: NodeJS.Timeout[] = [];
    const midFlight =
      'rerank stage: aborting a call in flight rejects with AbortedError and leaves no timer running';
    // The factory starts a short timer of its own (a warm-up, a keep-alive), which expires while
    // the check runs: a before/after count of the process's timers would net it against the leak.
    const leaking = (): RerankStageV1 => {
      setTimeout(() => {}, 1);
      return {
        ...brokenRerankStage((ranking) => ranking),
        doRerank: (options) =>
          new Promise((resolve, reject) => {
            timers.push(setTimeout(() => resolve({ ranking: [] }), 10_000));
            options.abortSignal?.addEventListener('abort', () => reject(new AbortedError()));
          }),
      };
    };
    const leaked = await runSuite((test) => rerankStageTests(test, leaking), [midFlight]);
    for (const timer of timers) clearTimeout(timer);
    expect(String(leaked[0]?.error)).toMatch(/left 1 timer\(s\) running/);
  });

  test('a probability stage scoring outside [0, 1] fails the score-range check', async () => {
    const stage = () =>
      brokenRerankStage((ranking) =>
        ranking.map((entry) => ({ ...entry, score: entry.score * 3 + 0.5 })),
      );
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, stage)));
    // The stage-level check names the fault; core's rerank() refuses such scores too (an
    // InvalidResponseError), so the checks that score through rerank() fail with it.
    expect(failed).toEqual([
      'rerank(): a topN above the number of documents is clamped and every document comes back once',
      'rerank(): windows inputs above maxDocumentsPerCall, nothing dropped or duplicated',
      'rerank stage: scores lie in the range of the declared scoreKind',
      "rerank(): documentFormat 'object' sends { ...metadata, text } and re-attaches the caller's objects",
    ]);
  });

  test('a nondeterministic stage fails the determinism and duplicate checks', async () => {
    let call = 0;
    const stage = () =>
      brokenRerankStage((ranking) =>
        ranking
          .map((entry) => ({ ...entry, score: (Math.sin(++call * 12.9898 + entry.index) + 1) / 2 }))
          .sort((left, right) => right.score - left.score),
      );
    const failed = failedNames(
      await runSuite((test) => rerankStageTests(test, stage, { lexicalRelevance: false })),
    );
    expect(failed).toContain('rerank stage: the same call twice gives the same ranking and scores');
    expect(failed).toContain('rerank stage: ranks duplicated documents, each copy once');
  });

  test('a stage that ranks at random fails the relevance checks, and they are absent when switched off', async () => {
    const reversed = () =>
      brokenRerankStage((ranking) => {
        const reversedRanking = [...ranking].reverse();
        return reversedRanking.map((entry, position) => ({
          index: entry.index,
          score: 1 - position / 100,
        }));
      });
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, reversed)));
    expect(failed).toContain(
      'rerank stage: the document containing the query words ranks first (English)',
    );
    const without = await runSuite((test) =>
      rerankStageTests(test, reversed, { lexicalRelevance: false }),
    );
    expect(without.map((outcome) => outcome.name)).not.toContain(
      'rerank stage: the document containing the query words ranks first (English)',
    );
  });

  const callIndependence =
    "rerank stage: a document's score depends neither on its position nor on the other documents in the call";

  test('a stage whose indices name positions in its sorted ranking fails the call-independence check', async () => {
    // The classic slip: sort the scores, then report each one's position as its index. Shape,
    // topN and determinism checks cannot see it, and random-weight models have no relevance check.
    const stage = () =>
      brokenRerankStage((ranking) =>
        ranking.map((entry, position) => ({ index: position, score: entry.score })),
      );
    const failed = failedNames(
      await runSuite((test) => rerankStageTests(test, stage, { lexicalRelevance: false })),
    );
    // The duplicates check may trip over it too, by luck of where the copies sit.
    expect(failed).toContain(callIndependence);
  });

  test('a stage normalising scores across the call (softmax) fails the call-independence check', async () => {
    // A softmax over the documents instead of a sigmoid per pair: scores stay in [0, 1] and in
    // order, but a window's scores no longer compare with another window's.
    const stage = () =>
      brokenRerankStage((ranking) => {
        const total = ranking.reduce((sum, entry) => sum + Math.exp(entry.score * 4), 0);
        return ranking.map((entry) => ({ ...entry, score: Math.exp(entry.score * 4) / total }));
      });
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, stage)));
    expect(failed).toContain(callIndependence);
  });

  test('metadata with a bad scoreKind or maxDocumentsPerCall fails the metadata check', async () => {
    const stage = (): RerankStageV1 => ({
      ...brokenRerankStage((ranking) => ranking),
      maxDocumentsPerCall: 0,
    });
    const failed = failedNames(await runSuite((test) => rerankStageTests(test, stage)));
    expect(failed).toContain(
      'rerank stage: declares specificationVersion v1, provider, modelId, maxDocumentsPerCall and scoreKind',
    );
  });
});

/** A retriever built on the mock whose call options pass through `transform` first. */
function brokenRetriever(
  corpus: ConstructorParameters<typeof MockRetrieveStage>[0]['documents'],
  change: (options: RetrieveStageV1CallOptions) => RetrieveStageV1CallOptions,
): RetrieveStageV1 {
  const mock = new MockRetrieveStage({ documents: corpus });
  return {
    specificationVersion: 'v1',
    provider: 'broken',
    modelId: 'broken-index',
    doRetrieve: (options) => mock.doRetrieve(change(options)),
  };
}

describe('retrieveStageTests fails broken stages', () => {
  test('a retriever ignoring the filter fails the filter checks', async () => {
    const outcomes = await runSuite((test) =>
      retrieveStageTests(test, (corpus) =>
        brokenRetriever(corpus, ({ filter: _ignored, ...options }) => options),
      ),
    );
    const failed = failedNames(outcomes);
    expect(failed).toContain('retrieve stage: filter $in returns exactly the matching documents');
    expect(failed).toContain(
      'retrieve stage: filter a list field matches when any element does returns exactly the matching documents',
    );
    expect(passedNames(outcomes)).toContain(
      'retrieve stage: the same call twice gives the same candidates and scores',
    );
  });

  test('a retriever ignoring the namespace fails the namespace checks', async () => {
    const failed = failedNames(
      await runSuite((test) =>
        retrieveStageTests(
          test,
          (corpus) => brokenRetriever(corpus, ({ namespace: _ignored, ...options }) => options),
          { namespaces: true },
        ),
      ),
    );
    expect(failed).toContain('retrieve stage: a namespace returns only its own documents');
    expect(failed).toContain('retrieve stage: a namespace without documents returns nothing');
  });

  test('a retriever returning duplicates, too many candidates or unsorted scores fails the shape checks', async () => {
    const duplicating = (corpus: Parameters<typeof brokenRetriever>[0]): RetrieveStageV1 => {
      const mock = new MockRetrieveStage({ documents: corpus });
      return {
        ...brokenRetriever(corpus, (options) => options),
        async doRetrieve(options) {
          const result = await mock.doRetrieve({ ...options, topK: options.topK + 5 });
          return { candidates: [...result.candidates, ...result.candidates].reverse() };
        },
      };
    };
    const outcomes = await runSuite((test) => retrieveStageTests(test, duplicating));
    const shape = outcomes.find((outcome) => outcome.name.endsWith('(topK 3)'));
    expect(String(shape?.error)).toMatch(
      /candidates for topK 3|appears more than once|not sorted descending/,
    );
    expect(failedNames(outcomes)).toContain(
      'retrieve stage: unique corpus ids with stored text, at most topK, scores sorted (topK above the corpus size)',
    );
  });

  test('a retriever returning fewer than topK candidates while more match fails the topK check', async () => {
    const capped = (corpus: Parameters<typeof brokenRetriever>[0]) =>
      brokenRetriever(corpus, (options) => ({ ...options, topK: Math.min(options.topK, 2) }));
    const failed = failedNames(
      await runSuite((test) => retrieveStageTests(test, capped, { filters: false })),
    );
    expect(failed).toEqual([
      'retrieve stage: returns exactly topK candidates when more documents match, every document when topK exceeds the corpus',
    ]);
  });

  test('a retriever that cuts to topK before ranking fails the best-of-a-larger-call check', async () => {
    // Takes the first topK matches in storage order, then sorts them: sorted, unique, at most
    // topK, but not the best.
    const cutFirst = (corpus: Parameters<typeof brokenRetriever>[0]): RetrieveStageV1 => {
      const mock = new MockRetrieveStage({ documents: corpus });
      const order = new Map(corpus.map((document, position) => [document.id, position]));
      return {
        ...brokenRetriever(corpus, (options) => options),
        async doRetrieve(options) {
          const all = await mock.doRetrieve({ ...options, topK: corpus.length });
          const candidates = [...all.candidates]
            .sort((left, right) => (order.get(left.id) ?? 0) - (order.get(right.id) ?? 0))
            .slice(0, options.topK)
            .sort((left, right) => right.score - left.score);
          return { candidates };
        },
      };
    };
    const failed = failedNames(await runSuite((test) => retrieveStageTests(test, cutFirst)));
    expect(failed).toContain(
      'retrieve stage: the topK candidates are the best of a call with a larger topK',
    );
  });

  test('a retriever returning its stored objects fails the check that results are the caller’s', async () => {
    // An in-memory index handing out its own records: a caller that edits a result edits the index.
    const aliasing = (corpus: Parameters<typeof brokenRetriever>[0]): RetrieveStageV1 => {
      const mock = new MockRetrieveStage({ documents: corpus });
      const stored = new Map(
        structuredClone(corpus).map(({ namespace: _namespace, ...document }) => [
          document.id,
          { ...document, score: 0 },
        ]),
      );
      return {
        ...brokenRetriever(corpus, (options) => options),
        async doRetrieve(options) {
          const result = await mock.doRetrieve(options);
          const candidates = result.candidates.map((candidate) => {
            const record = stored.get(candidate.id) ?? candidate;
            record.score = candidate.score;
            return record;
          });
          return { candidates };
        },
      };
    };
    const failed = failedNames(await runSuite((test) => retrieveStageTests(test, aliasing)));
    expect(failed).toEqual([
      'retrieve stage: changing the candidates it returned does not change later results',
    ]);
  });

  test('a retriever dropping metadata fails the stored-metadata check', async () => {
    const stripping = (corpus: Parameters<typeof brokenRetriever>[0]): RetrieveStageV1 => {
      const mock = new MockRetrieveStage({ documents: corpus });
      return {
        ...brokenRetriever(corpus, (options) => options),
        async doRetrieve(options) {
          const result = await mock.doRetrieve(options);
          return {
            candidates: result.candidates.map(({ metadata: _dropped, ...candidate }) => candidate),
          };
        },
      };
    };
    const failed = failedNames(await runSuite((test) => retrieveStageTests(test, stripping)));
    expect(failed).toEqual(['retrieve stage: candidates carry their metadata as stored']);
  });
});

describe('embeddingModelTests fails broken models', () => {
  test('a model returning vectors of the wrong length fails the shape checks', async () => {
    const model = (): EmbeddingModelV1 => {
      const mock = new MockEmbeddingModel({ dimensions: 8 });
      return {
        specificationVersion: 'v1',
        provider: 'broken',
        modelId: 'short-vectors',
        dimensions: 16,
        maxEmbeddingsPerCall: undefined,
        supportsParallelCalls: true,
        doEmbed: (options) => mock.doEmbed(options),
      };
    };
    const failed = failedNames(await runSuite((test) => embeddingModelTests(test, model)));
    expect(failed).toContain(
      "embedding model: one finite vector of the declared dimensions per value (inputType 'query')",
    );
  });

  test('a model claiming normalised vectors that are not fails the normalisation check', async () => {
    const model = (): EmbeddingModelV1 => {
      const mock = new MockEmbeddingModel();
      return {
        ...mock,
        specificationVersion: 'v1',
        provider: 'broken',
        modelId: 'unnormalised',
        dimensions: mock.dimensions,
        maxEmbeddingsPerCall: mock.maxEmbeddingsPerCall,
        supportsParallelCalls: true,
        async doEmbed(options) {
          const result = await mock.doEmbed(options);
          return {
            embeddings: result.embeddings.map((vector) => vector.map((component) => component * 2)),
          };
        },
      };
    };
    const failed = failedNames(
      await runSuite((test) => embeddingModelTests(test, model, { normalized: true })),
    );
    expect(failed).toEqual(['embedding model: every vector has unit L2 norm']);
  });

  test('a model handing out views of a buffer it reuses fails the check that vectors are the caller’s', async () => {
    const model = (): EmbeddingModelV1 => {
      const mock = new MockEmbeddingModel({ dimensions: 8 });
      const output = new Float32Array(8 * 96);
      return {
        specificationVersion: 'v1',
        provider: 'broken',
        modelId: 'reused-buffer',
        dimensions: 8,
        maxEmbeddingsPerCall: 96,
        supportsParallelCalls: false,
        async doEmbed(options) {
          const result = await mock.doEmbed(options);
          // Copies into one shared output buffer and returns views of it.
          return {
            embeddings: result.embeddings.map((vector, index) => {
              output.set(vector, index * 8);
              return output.subarray(index * 8, index * 8 + 8);
            }),
          };
        },
      };
    };
    const failed = failedNames(await runSuite((test) => embeddingModelTests(test, model)));
    expect(failed).toContain(
      'embedding model: vectors are the caller’s: later calls do not change them',
    );
  });

  test('a model returning vectors in the wrong order fails the order check', async () => {
    const model = (): EmbeddingModelV1 => {
      const mock = new MockEmbeddingModel();
      return {
        specificationVersion: 'v1',
        provider: 'broken',
        modelId: 'sorted-vectors',
        dimensions: mock.dimensions,
        maxEmbeddingsPerCall: mock.maxEmbeddingsPerCall,
        supportsParallelCalls: true,
        async doEmbed(options) {
          const sorted = [...options.values].sort();
          return mock.doEmbed({ ...options, values: sorted });
        },
      };
    };
    const failed = failedNames(await runSuite((test) => embeddingModelTests(test, model)));
    expect(failed).toContain('embedding model: vectors follow the input order');
  });
});
