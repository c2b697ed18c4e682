/**
 * A scripted failure for a mock: the mock throws `error` on its `call`-th call (1-based), instead
 * of answering. Lets tests exercise core's retry and fallback paths without a network.
 *
 * @example { call: 1, error: new ApiCallError({ message: 'rate limited', url: 'mock://', statusCode: 429 }) }
 */
export type MockFault = {
  /** Which call fails, counting from 1. */
  call: number;
  /** What the mock throws on that call. */
  error: unknown;
};

/** The fault scripted for the `callNumber`-th call, if any. */
export function findFault(faults: readonly MockFault[], callNumber: number): MockFault | undefined {
  return faults.find((fault) => fault.call === callNumber);
}
