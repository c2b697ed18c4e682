import { describe, expect, test } from 'vitest';
import {
  type EncodedRows,
  packRows,
  rowBuffers,
  rowCount,
  rowLength,
} from '../src/runtime/encoded-rows.js';
import type { InferenceExecutor } from '../src/runtime/inference-executor.js';
import { InferencePool } from '../src/runtime/inference-pool.js';
import { RunnerError, type RunnerInfo } from '../src/runtime/model-runner.js';

const info: RunnerInfo = {
  inputNames: ['input_ids', 'attention_mask'],
  outputNames: ['logits'],
  executionProvider: 'cpu',
  maxLength: 512,
  numLabels: 2,
  hiddenSize: 4,
  threads: 1,
  warnings: [],
};

/** A document "abc" encodes to ids [a, b, c] (char codes); its two logits are sum(ids) and −length. */
function encode(texts: readonly string[]): EncodedRows {
  return packRows(
    texts.map((text) => ({
      ids: [...text].map((character) => character.charCodeAt(0)),
      typeIds: [...text].map(() => 0),
      truncated: text.length > 40,
    })),
  );
}

type Record = { executor: number; rows: number; event: 'start' | 'end' };

/** An executor that scores without a model, records what it ran, and can be held or made to fail. */
class FakeExecutor implements InferenceExecutor {
  readonly info = info;
  alive = true;
  running = 0;
  maxRunning = 0;
  failOnLength: number | undefined;
  /** The texts of each batch run, in the batch's row order. */
  readonly batches: string[][] = [];
  constructor(
    private readonly id: number,
    private readonly log: Record[],
    private readonly delayMs = 2,
  ) {}
  async encodePairs(_query: string, documents: string[]): Promise<EncodedRows> {
    return encode(documents);
  }
  async encodeTexts(texts: string[]): Promise<EncodedRows> {
    return encode(texts);
  }
  async #run(
    sent: EncodedRows,
    valuesOf: (row: number, rows: EncodedRows) => number[],
  ): Promise<Float32Array> {
    // As posting to a worker does: the rows' buffers move over and are empty on the caller's side.
    const rows = structuredClone(sent, { transfer: rowBuffers(sent) });
    this.batches.push(
      Array.from({ length: rowCount(rows) }, (_, row) =>
        String.fromCharCode(...rows.ids.subarray(rows.offsets[row], rows.offsets[row + 1])),
      ),
    );
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.log.push({ executor: this.id, rows: rowCount(rows), event: 'start' });
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      for (let row = 0; row < rowCount(rows); row += 1) {
        if (rowLength(rows, row) === this.failOnLength) throw new RunnerError('runtime', 'boom');
      }
      return Float32Array.from(
        Array.from({ length: rowCount(rows) }, (_, row) => valuesOf(row, rows)).flat(),
      );
    } finally {
      this.running -= 1;
      this.log.push({ executor: this.id, rows: rowCount(rows), event: 'end' });
    }
  }
  score(sent: EncodedRows): Promise<Float32Array> {
    return this.#run(sent, (row, rows) => {
      let sum = 0;
      for (
        let index = rows.offsets[row] as number;
        index < (rows.offsets[row + 1] as number);
        index += 1
      )
        sum += rows.ids[index] as number;
      return [sum, -rowLength(rows, row)];
    });
  }
  embed(sent: EncodedRows): Promise<Float32Array> {
    return this.#run(sent, (row, rows) => [
      rowLength(rows, row),
      rows.ids[rows.offsets[row] as number] as number,
      0,
    ]);
  }
  async close(): Promise<void> {
    this.alive = false;
  }
}

const sumOf = (text: string) =>
  [...text].reduce((sum, character) => sum + character.charCodeAt(0), 0);
const documents = Array.from(
  { length: 40 },
  (_, index) => 'x'.repeat(1 + ((index * 7) % 23)) + String.fromCharCode(65 + (index % 26)),
);

function makePool(executors = 2, limits = { maxBatchTokens: 40, maxBatchSize: 32 }, delayMs = 2) {
  const log: Record[] = [];
  const fakes = Array.from({ length: executors }, (_, id) => new FakeExecutor(id, log, delayMs));
  return { pool: new InferencePool(fakes, limits), fakes, log };
}

describe('InferencePool', () => {
  test('returns every logit in input order, spread over both executors, one batch each at a time', async () => {
    const { pool, fakes, log } = makePool();
    const result = await pool.score('q', documents);
    expect(Array.from(result.logits)).toEqual(
      documents.flatMap((document) => [sumOf(document), -document.length]),
    );
    expect(result.numLabels).toBe(2);
    expect(result.inputTokens).toBe(documents.reduce((sum, document) => sum + document.length, 0));
    expect(new Set(log.map((entry) => entry.executor))).toEqual(new Set([0, 1]));
    expect(fakes.map((fake) => fake.maxRunning)).toEqual([1, 1]);
    const rowsRun = log
      .filter((entry) => entry.event === 'end')
      .reduce((sum, entry) => sum + entry.rows, 0);
    expect(rowsRun).toBe(documents.length);
  });

  test('cuts a small call into at least one batch per executor', async () => {
    const { pool, log } = makePool(2, { maxBatchTokens: 10_000, maxBatchSize: 32 });
    await pool.score('q', ['aa', 'bb', 'cc']);
    expect(
      log
        .filter((entry) => entry.event === 'start')
        .map((entry) => entry.rows)
        .sort(),
    ).toEqual([1, 2]);
  });

  test('counts truncated inputs', async () => {
    const { pool } = makePool();
    const result = await pool.score('q', ['short', 'y'.repeat(41), 'z'.repeat(50)]);
    expect(result.truncated).toBe(2);
  });

  test('an abort drops the batches not started, and settles only after the running ones end', async () => {
    const { pool, log } = makePool(2, { maxBatchTokens: 1, maxBatchSize: 1 }, 20);
    const controller = new AbortController();
    const call = pool.score('q', documents, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    const error = await call.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RunnerError);
    expect((error as RunnerError).code).toBe('cancelled');
    const started = log.filter((entry) => entry.event === 'start').length;
    const ended = log.filter((entry) => entry.event === 'end').length;
    expect(ended).toBe(started); // nothing of the call is still running once it has rejected
    expect(started).toBeLessThan(documents.length);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(log.filter((entry) => entry.event === 'start').length).toBe(started);
  });

  test('an already-aborted signal rejects before any work', async () => {
    const { pool, log } = makePool();
    const controller = new AbortController();
    controller.abort();
    await expect(pool.score('q', documents, controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(log).toEqual([]);
  });

  test('a failed batch rejects its call with that error and leaves other calls whole', async () => {
    const { pool, fakes } = makePool(2, { maxBatchTokens: 1, maxBatchSize: 1 });
    for (const fake of fakes) fake.failOnLength = 7;
    const failing = pool.score('q', ['abcdefg', 'ab', 'abc', 'abcd']);
    const healthy = pool.score('q', ['ab', 'abc', 'x']);
    await expect(failing).rejects.toThrow('boom');
    const result = await healthy;
    expect(Array.from(result.logits)).toEqual([sumOf('ab'), -2, sumOf('abc'), -3, sumOf('x'), -1]);
  });

  test('calls made together share the executors and each gets its own answers', async () => {
    const { pool, fakes } = makePool(2, { maxBatchTokens: 16, maxBatchSize: 4 });
    const calls = [documents.slice(0, 13), documents.slice(5, 40), ['solo']];
    const results = await Promise.all(calls.map((values) => pool.score('q', values)));
    results.forEach((result, index) => {
      expect(Array.from(result.logits)).toEqual(
        (calls[index] as string[]).flatMap((document) => [sumOf(document), -document.length]),
      );
    });
    expect(fakes.map((fake) => fake.maxRunning)).toEqual([1, 1]);
  });

  test('calls of different queries made while the executors are busy share batches', async () => {
    const { pool, fakes } = makePool(1, { maxBatchTokens: 1000, maxBatchSize: 32 }, 10);
    const first = pool.score('q1', ['aaaa', 'bbb']);
    await new Promise((resolve) => setTimeout(resolve, 2));
    // The executor is busy with `first`: these three wait and are cut into one batch.
    const later = [
      pool.score('q2', ['cc', 'ddddd']),
      pool.score('q3', ['e']),
      pool.score('q4', ['ffff', 'gg', 'hhh']),
    ];
    const results = await Promise.all([first, ...later]);
    expect((fakes[0] as FakeExecutor).batches).toEqual([
      ['aaaa', 'bbb'],
      // Seeded by q2's longest row; every waiting row is no longer, so all join, grouped by call.
      ['ddddd', 'cc', 'e', 'ffff', 'hhh', 'gg'],
    ]);
    const calls = [['aaaa', 'bbb'], ['cc', 'ddddd'], ['e'], ['ffff', 'gg', 'hhh']];
    results.forEach((result, index) => {
      expect(Array.from(result.logits)).toEqual(
        (calls[index] as string[]).flatMap((document) => [sumOf(document), -document.length]),
      );
    });
  });

  test('a failed shared batch fails every call in it; a call outside it is whole', async () => {
    const { pool, fakes } = makePool(1, { maxBatchTokens: 12, maxBatchSize: 32 }, 10);
    (fakes[0] as FakeExecutor).failOnLength = 3;
    const first = pool.score('q1', ['aaaaaaaaaaaaaaa']);
    await new Promise((resolve) => setTimeout(resolve, 2));
    // Batch 2 is ['bbbb', 'ccc', 'dd'] (4 × 3 ≤ 12): 'ccc' fails it. 'zzzzzzzz' runs alone.
    const shared = [pool.score('q2', ['bbbb', 'dd']), pool.score('q3', ['ccc'])];
    const outside = pool.score('q4', ['zzzzzzzzzzzzz']);
    expect((await first).logits[1]).toBe(-15);
    for (const call of shared) await expect(call).rejects.toThrow('boom');
    expect(Array.from((await outside).logits)).toEqual([sumOf('zzzzzzzzzzzzz'), -13]);
  });

  test('an abort of one call in a running shared batch leaves the other its answers', async () => {
    const { pool, fakes } = makePool(1, { maxBatchTokens: 1000, maxBatchSize: 32 }, 20);
    const first = pool.score('q1', ['aaaa']);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const controller = new AbortController();
    const aborted = pool.score('q2', ['bbb', 'cc'], controller.signal);
    const kept = pool.score('q3', ['dd', 'e']);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The shared batch is running now.
    expect((fakes[0] as FakeExecutor).batches[1]).toEqual(['bbb', 'cc', 'dd', 'e']);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    expect((fakes[0] as FakeExecutor).running).toBe(0);
    expect(Array.from((await kept).logits)).toEqual([sumOf('dd'), -2, sumOf('e'), -1]);
  });

  test('embeds in input order with the width the executor returns', async () => {
    const { pool } = makePool();
    const texts = ['hello', 'a', 'bank loan rates'];
    const result = await pool.embed(texts, 'mean', true);
    expect(result.dimensions).toBe(3);
    expect(Array.from(result.embeddings)).toEqual(
      texts.flatMap((text) => [text.length, text.charCodeAt(0), 0]),
    );
  });

  test('an empty call answers without running anything', async () => {
    const { pool, log } = makePool();
    const result = await pool.score('q', []);
    expect(Array.from(result.logits)).toEqual([]);
    expect(log).toEqual([]);
  });

  test('is dead once closed or once one executor has died', async () => {
    const { pool, fakes } = makePool();
    expect(pool.alive).toBe(true);
    (fakes[1] as FakeExecutor).alive = false;
    expect(pool.alive).toBe(false);
    (fakes[1] as FakeExecutor).alive = true;
    await pool.close();
    expect(pool.alive).toBe(false);
    expect(fakes.map((fake) => fake.alive)).toEqual([false, false]);
  });
});
