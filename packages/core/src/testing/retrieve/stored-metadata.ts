import * as assert from 'node:assert/strict';
import { registerTest } from '../test-function.js';
import { copyCorpus, matchEveryDocumentQuery, retrieveCorpus } from './retrieve-corpus.js';
import type { RetrieveSuiteContext } from './retrieve-suite-context.js';

/** Candidates carry their metadata exactly as stored (types kept: numbers, lists). */
export function registerStoredMetadataTests({
  test,
  factory,
  capabilities,
}: RetrieveSuiteContext): void {
  if (!capabilities.metadata) return;
  registerTest(
    test,
    'retrieve stage: candidates carry their metadata as stored',
    async () => {
      const stage = await factory(copyCorpus());
      const result = await stage.doRetrieve({
        query: matchEveryDocumentQuery,
        topK: retrieveCorpus.length,
      });
      assert.ok(result.candidates.length > 0, 'the query matching every document returned nothing');
      const stored = new Map(retrieveCorpus.map((document) => [document.id, document.metadata]));
      for (const candidate of result.candidates) {
        assert.deepEqual(
          candidate.metadata,
          stored.get(candidate.id),
          `metadata of '${candidate.id}'`,
        );
      }
    },
    capabilities.timeoutMs,
  );
}
