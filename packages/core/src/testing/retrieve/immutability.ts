import * as assert from 'node:assert/strict';
import type { RetrievedCandidateV1, RetrieveStageV1CallOptions } from '../../spec/v1/index.js';
import type { ConformanceDocument } from '../conformance-document.js';
import { deepFreeze } from '../helpers/deep-freeze.js';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/**
 * The stage never writes to its call options, nor to the corpus its factory was given, and what
 * it returns belongs to the caller: changing a result cannot reach into the index.
 */
export function registerRetrieveImmutabilityTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  registerTest(
    test,
    'retrieve stage: does not mutate its call options (deep-frozen)',
    async () => {
      const stage = await factory(copyCorpus());
      const options: RetrieveStageV1CallOptions = {
        query: 'credit card annual fee',
        topK: 3,
        headers: { 'x-conformance': 'immutability' },
        providerOptions: { conformance: { note: 'ignored' } },
      };
      if (capabilities.filters)
        options.filter = {
          $or: [{ category: { $in: ['card', 'loan'] } }, { year: { $gte: 2024 } }],
        };
      const snapshot = structuredClone(options);
      await stage.doRetrieve(deepFreeze(options));
      assert.deepEqual(options, snapshot, 'the call options changed');
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'retrieve stage: does not mutate the corpus it was built from',
    async () => {
      const corpus: ConformanceDocument[] = deepFreeze(copyCorpus());
      const stage = await factory(corpus);
      await stage.doRetrieve({ query: 'credit card annual fee', topK: 3 });
      assert.deepEqual(corpus, [...retrieveCorpus], 'the corpus changed');
    },
    capabilities.timeoutMs,
  );

  registerTest(
    test,
    'retrieve stage: changing the candidates it returned does not change later results',
    async () => {
      const stage = await factory(copyCorpus());
      const options = { query: matchEveryDocumentQuery, topK: retrieveCorpus.length };
      const first = await stage.doRetrieve(options);
      const before = contents(first.candidates);
      for (const candidate of first.candidates) scribbleOn(candidate);
      const after = contents((await stage.doRetrieve(options)).candidates);
      assert.ok(after.size > 0, 'the query matching every document returned nothing');
      for (const [id, content] of after) {
        if (!before.has(id)) continue;
        assert.deepEqual(
          content,
          before.get(id),
          `'${id}' in a later call shows what the caller wrote on an earlier result`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}

/** Each candidate's text and metadata by id, as a deep copy. */
function contents(candidates: readonly RetrievedCandidateV1[]): Map<string, unknown> {
  return new Map(
    candidates.map((candidate) => [
      candidate.id,
      structuredClone({ text: candidate.text, metadata: candidate.metadata }),
    ]),
  );
}

/**
 * What a careless caller does to a result: overwrite fields, append to lists. A stage that
 * returns frozen objects is fine too (the writes then throw, and are ignored here).
 */
function scribbleOn(candidate: { text: string; metadata?: Record<string, unknown> }): void {
  attempt(() => {
    candidate.text = 'changed by the caller';
  });
  const { metadata } = candidate;
  if (metadata === undefined) return;
  for (const [key, value] of Object.entries(metadata)) {
    if (Array.isArray(value)) attempt(() => value.push('changed by the caller'));
    attempt(() => {
      metadata[key] = 'changed by the caller';
    });
  }
}

/** Runs a write; one that throws hit a frozen object, which is a fine way to protect the index. */
function attempt(write: () => unknown): void {
  try {
    write();
  } catch {
    // Frozen: nothing was changed.
  }
}
