import { InvalidArgumentError } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import { createBearerCheck, createRerankServer, parseServerTokens } from '../src/index.js';

const reranker = new MockRerankStage();

function thrown(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('createRerankServer options', () => {
  test('an unknown option name, limit or batching rule is refused by name', () => {
    expect(
      thrown(() => createRerankServer({ reranker, tokens: ['t'], port: 1 } as never)).message,
    ).toMatch(/options\.port/);
    expect(
      thrown(() => createRerankServer({ reranker, tokens: ['t'], limits: { maxDocs: 3 } as never }))
        .message,
    ).toMatch(/options\.limits\.maxDocs/);
    expect(
      thrown(() =>
        createRerankServer({ reranker, tokens: ['t'], batching: { window: 1 } as never }),
      ).message,
    ).toMatch(/options\.batching\.window/);
  });

  test('bad limits, a non-stage reranker and no tokens are refused', () => {
    expect(
      thrown(() => createRerankServer({ reranker, tokens: ['t'], limits: { maxBodyBytes: 0 } }))
        .message,
    ).toMatch(/maxBodyBytes/);
    // A document budget below one full request would refuse that request forever.
    expect(
      thrown(() =>
        createRerankServer({
          reranker,
          tokens: ['t'],
          limits: { maxDocumentsPerRequest: 100, maxConcurrentDocuments: 99 },
        }),
      ).message,
    ).toMatch(
      /maxConcurrentDocuments.*at least options\.limits\.maxDocumentsPerRequest \(100\), got 99/,
    );
    expect(
      thrown(() => createRerankServer({ reranker: {} as never, tokens: ['t'] })).message,
    ).toMatch(/RerankStageV1/);
    expect(thrown(() => createRerankServer({ reranker, tokens: [] })).message).toMatch(
      /TWOSTAGE_SERVER_TOKENS/,
    );
    expect(thrown(() => createRerankServer({ reranker, tokens: [''] })).message).toMatch(
      /non-empty strings/,
    );
  });

  test('insecureNoAuth listens on loopback only', async () => {
    const server = createRerankServer({
      reranker,
      tokens: [],
      insecureNoAuth: true,
      warmUp: false,
    });
    await expect(server.listen({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback host only/);
  });
});

describe('bearer tokens', () => {
  test('TWOSTAGE_SERVER_TOKENS splits on commas and whitespace', () => {
    expect(parseServerTokens(' alpha, beta\tgamma ,,')).toEqual(['alpha', 'beta', 'gamma']);
    expect(parseServerTokens(undefined)).toEqual([]);
  });

  test('only an exact Bearer token is accepted', () => {
    const check = createBearerCheck(['alpha', 'beta']);
    expect(check('Bearer beta')).toBe(true);
    expect(check('bearer alpha')).toBe(true);
    expect(check('Bearer alph')).toBe(false);
    expect(check('Bearer alphaa')).toBe(false);
    expect(check('Basic alpha')).toBe(false);
    expect(check(undefined)).toBe(false);
  });
});
