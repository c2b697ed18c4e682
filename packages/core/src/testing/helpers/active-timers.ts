/**
 * How many timers keep the event loop alive right now. Compared before a call and after it was
 * aborted, it shows whether the call left a timer behind (a retry wait, a latency timer, a poll).
 * Unreferenced timers (HTTP keep-alive bookkeeping) are not counted: they keep nothing alive.
 */
export function countActiveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** Lets already-queued callbacks, microtasks and one turn of timers run. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
