/**
 * Counts a mock's calls in flight and the most that ever ran at once, so a test can check that
 * core respects `maxConcurrency` (or `supportsParallelCalls: false`).
 */
export class CallActivity {
  /** Calls running now. */
  active = 0;
  /** The most calls that ran at once so far. */
  maxActive = 0;

  /** Runs `work` as one active call. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await work();
    } finally {
      this.active -= 1;
    }
  }
}
