/**
 * The test-registration function of any framework: vitest's or jest's `test` / `it`, or
 * `node:test`'s `test`. The suites call it once per check; `timeoutMs` is passed only when the
 * caller set one in the capabilities.
 */
export type TestFunction = (name: string, fn: () => Promise<void>, timeoutMs?: number) => unknown;

/** Registers one check, passing the timeout only when there is one. */
export function registerTest(
  test: TestFunction,
  name: string,
  fn: () => Promise<void>,
  timeoutMs: number | undefined,
): void {
  if (timeoutMs === undefined) test(name, fn);
  else test(name, fn, timeoutMs);
}
