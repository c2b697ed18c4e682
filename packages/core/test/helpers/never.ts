/** A promise that never settles: a stage that hangs and ignores its abort signal. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
