import { TwostageError } from '@twostage/core';

/** What one fault scenario did, as docs/reliability.md shows it. */
export type FaultFigures = {
  calls: number;
  completed: number;
  /** Failures by error name; every one a member of the twostage error family. */
  failed: Record<string, number>;
  /** Failures that were not twostage errors (must stay 0). */
  untyped: number;
  /** Requests the server saw beyond one per call. */
  retries: number;
  /** The slowest call's time to its outcome, in ms. */
  slowestMs: number;
  /** Completed calls whose results differ from the fault-free reference (lost, duplicated, misattributed). */
  wrongResults: number;
  /** Timers and sockets still open once the scenario ended, beyond those before it. */
  leftoverTimers: number;
  leftoverSockets: number;
};

/** The handles of a kind the process holds now. */
function activeCount(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

/** Counts of the handles a scenario might leak. */
export function handleCounts(): { timers: number; sockets: number } {
  return { timers: activeCount('Timeout'), sockets: activeCount('TCPSocketWrap') };
}

/**
 * Runs `calls` concurrent calls and tallies their outcomes. `same` compares a completed call's
 * result with the fault-free reference; `requests` says how many requests the server has seen;
 * `teardown` closes what the scenario opened, before leftovers are counted.
 */
export async function measureCalls<Result>({
  calls,
  call,
  same,
  requests,
  teardown,
}: {
  calls: number;
  call: (index: number) => Promise<Result>;
  same: (result: Result) => boolean;
  requests: () => number;
  teardown: () => Promise<void>;
}): Promise<FaultFigures> {
  const before = handleCounts();
  const figures: FaultFigures = {
    calls,
    completed: 0,
    failed: {},
    untyped: 0,
    retries: 0,
    slowestMs: 0,
    wrongResults: 0,
    leftoverTimers: 0,
    leftoverSockets: 0,
  };
  await Promise.all(
    Array.from({ length: calls }, async (_, index) => {
      const started = performance.now();
      try {
        const result = await call(index);
        figures.completed += 1;
        if (!same(result)) figures.wrongResults += 1;
      } catch (error) {
        if (TwostageError.isInstance(error)) {
          const name = (error as Error).name;
          figures.failed[name] = (figures.failed[name] ?? 0) + 1;
        } else {
          figures.untyped += 1;
        }
      } finally {
        figures.slowestMs = Math.max(figures.slowestMs, performance.now() - started);
      }
    }),
  );
  figures.retries = requests() - calls;
  await teardown();
  // Closed sockets and cleared timers leave the handle list on the next turns of the loop.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const after = handleCounts();
  figures.leftoverTimers = Math.max(0, after.timers - before.timers);
  figures.leftoverSockets = Math.max(0, after.sockets - before.sockets);
  return figures;
}
