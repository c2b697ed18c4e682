import { describe, expect, test } from 'vitest';
import {
  type BatchPart,
  pendingOrder,
  RowScheduler,
  type SchedulableRows,
} from '../src/runtime/row-scheduler.js';

type Call = SchedulableRows & { name: string };

function call(name: string, lengths: number[], kind = 'score'): Call {
  return { name, kind, lengths, pending: pendingOrder(lengths) };
}

/** A batch as `name:row` labels, in the order the scheduler put them. */
const labels = (parts: BatchPart<Call>[] | undefined) =>
  parts?.flatMap((part) => part.rows.map((row) => `${part.call.name}:${row}`));

/** Every batch until nothing waits. */
function drain(scheduler: RowScheduler<Call>, spread = 1): string[][] {
  const batches: string[][] = [];
  for (let parts = scheduler.take(spread); parts !== undefined; parts = scheduler.take(spread)) {
    batches.push(labels(parts) as string[]);
  }
  return batches;
}

describe('RowScheduler', () => {
  test('pendingOrder is longest first, ties in input order', () => {
    expect(pendingOrder([10, 50, 20, 50, 5, 20])).toEqual([1, 3, 2, 5, 0, 4]);
  });

  test('calls of different queries share a batch: rows no longer than the seed, longest first', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 40, maxBatchSize: 32 });
    scheduler.add(call('a', [8, 3]));
    scheduler.add(call('b', [9, 8, 2]));
    scheduler.add(call('c', [5]));
    // The seed is a's longest row (8); b's 9 is longer and waits; 5 rows of ≤ 8 tokens fit 40.
    expect(labels(scheduler.take(1))).toEqual(['a:0', 'a:1', 'b:1', 'b:2', 'c:0']);
    expect(labels(scheduler.take(1))).toEqual(['b:0']);
    expect(scheduler.take(1)).toBeUndefined();
  });

  test('rows × the seed length stays within the token budget; the seed alone may exceed it', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 20, maxBatchSize: 32 });
    scheduler.add(call('a', [30, 5]));
    scheduler.add(call('b', [6, 6, 6, 6]));
    // a's 5-token row seeds the second batch, and b's longer rows would pad it: they wait.
    expect(drain(scheduler)).toEqual([['a:0'], ['a:1'], ['b:0', 'b:1', 'b:2'], ['b:3']]);
  });

  test('every batch takes a row of the oldest call, so later calls never starve it', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 1000, maxBatchSize: 2 });
    scheduler.add(call('old', [1, 1, 1]));
    for (let index = 0; index < 5; index += 1) scheduler.add(call(`new${index}`, [50]));
    const batches = drain(scheduler);
    // `old`'s rows are shorter than every later row, yet it leads until it is done.
    expect(batches.slice(0, 2).map((batch) => batch[0])).toEqual(['old:0', 'old:2']);
    expect(batches.flat().filter((label) => label.startsWith('old'))).toEqual([
      'old:0',
      'old:1',
      'old:2',
    ]);
    expect(batches.flat().sort()).toEqual(
      ['old:0', 'old:1', 'old:2', 'new0:0', 'new1:0', 'new2:0', 'new3:0', 'new4:0'].sort(),
    );
  });

  test('rows of different kinds never share a batch', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 1000, maxBatchSize: 32 });
    scheduler.add(call('s', [4, 4]));
    scheduler.add(call('e', [4], 'embed:mean:true'));
    scheduler.add(call('t', [3]));
    expect(drain(scheduler)).toEqual([['s:0', 's:1', 't:0'], ['e:0']]);
  });

  test('a small wait is cut so every session gets rows; the cap counts whole calls', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 1000, maxBatchSize: 32 });
    scheduler.add(call('a', [5, 5, 5, 5, 5]));
    // 5 rows over 2 sessions: 3 then 2 (not 3, then 1, then 1).
    expect(drain(scheduler, 2).map((batch) => batch.length)).toEqual([3, 2]);
  });

  test('drop takes back the rows not handed out yet', () => {
    const scheduler = new RowScheduler<Call>({ maxBatchTokens: 10, maxBatchSize: 32 });
    const a = call('a', [5, 5, 5]);
    scheduler.add(a);
    scheduler.add(call('b', [5]));
    expect(labels(scheduler.take(1))).toEqual(['a:0', 'a:1']);
    scheduler.drop(a);
    expect(scheduler.pendingRows).toBe(1);
    expect(drain(scheduler)).toEqual([['b:0']]);
  });
});
