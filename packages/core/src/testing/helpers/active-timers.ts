import { createHook } from 'node:async_hooks';

/** What {@link watchTimers} returns. */
export type TimerWatch = {
  /**
   * Lets queued work run (see {@link settle}), gives short-lived timers `graceMs` to finish, then
   * counts the timers created since the watch began that are still pending and keep the event
   * loop alive (a retry wait, a latency timer, a poll). Unreferenced timers (HTTP keep-alive
   * bookkeeping) are not counted: they keep nothing alive.
   */
  leftRunning(graceMs?: number): Promise<number>;
  /** Stops watching. */
  stop(): void;
};

/**
 * Watches the timers created from now on, so that a check can tell whether an aborted call left
 * one running. Counting only the timers created during the call (rather than comparing the
 * process's totals before and after) keeps the check honest on a busy test runner: a timer of
 * the framework's that expires meanwhile can neither hide a leak nor pass for one.
 */
export function watchTimers(): TimerWatch {
  const pending = new Map<number, { hasRef?: () => boolean }>();
  const hook = createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      if (type === 'Timeout') pending.set(asyncId, resource as { hasRef?: () => boolean });
    },
    destroy(asyncId) {
      pending.delete(asyncId);
    },
  });
  hook.enable();
  const count = () =>
    [...pending.values()].filter((timer) => timer.hasRef === undefined || timer.hasRef()).length;
  return {
    async leftRunning(graceMs = 100) {
      await settle();
      const deadline = Date.now() + graceMs;
      while (count() > 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return count();
    },
    stop() {
      hook.disable();
      pending.clear();
    },
  };
}

/** Lets already-queued callbacks, microtasks and one turn of timers run. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
