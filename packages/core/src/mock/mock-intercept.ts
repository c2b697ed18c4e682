/**
 * A mock's per-call hook: called with the call's number (1-based) and its options as received
 * (the live object, not a copy), after the mock's latency and scripted faults. Throwing fails the
 * call with that error; returning a result makes it the call's answer, as is and unchecked (that
 * is how a test feeds core a malformed response); returning `undefined` lets the mock answer.
 *
 * @example
 * // The first call is rate-limited, the others are answered by the mock.
 * intercept: (call) => {
 *   if (call === 1) throw new ApiCallError({ message: 'slow down', url: 'mock://', statusCode: 429 });
 *   return undefined;
 * }
 */
export type MockIntercept<CallOptions, Result> = (
  call: number,
  options: CallOptions,
) => Result | PromiseLike<Result> | undefined;
