import { describe, expect, test } from 'vitest';
import { runExample } from './run-example.js';

type SwapOutput = {
  question: string;
  reranker: string;
  results: { id: string; rerankScore: number | null; retrieveRank: number }[];
  degraded: boolean;
};

describe('provider-swap: the stages come from the environment only', () => {
  test('memory retriever over corpus.jsonl + the mock reranker answer a question', async () => {
    const run = await runExample('main.ts', ['early repayment fee'], {
      TWOSTAGE_RETRIEVER: 'memory:./corpus.jsonl',
      TWOSTAGE_RERANKER: 'mock',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as SwapOutput;
    expect(output.question).toBe('early repayment fee');
    expect(output.reranker.startsWith('mock:')).toBe(true);
    expect(output.degraded).toBe(false);
    expect(output.results[0]?.id).toBe('early-repayment-en');
    expect(output.results.length).toBeLessThanOrEqual(3);
    const scores = output.results.map((item) => item.rerankScore ?? Number.NaN);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
  });

  test('a Vietnamese question finds the Vietnamese passage', async () => {
    const run = await runExample('main.ts', ['bổ sung tài sản bảo đảm'], {
      TWOSTAGE_RETRIEVER: 'memory:./corpus.jsonl',
      TWOSTAGE_RERANKER: 'mock',
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as SwapOutput).results[0]?.id).toBe('margin-call-vi');
  });

  test('without TWOSTAGE_RETRIEVER it says which variable to set, in one line, exit 1', async () => {
    const run = await runExample('main.ts', ['early repayment fee'], { TWOSTAGE_RERANKER: 'mock' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('TWOSTAGE_RETRIEVER');
  });
});
