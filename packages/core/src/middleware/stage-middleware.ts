/**
 * Middleware for one kind of stage, in the shape of the AI SDK's language-model middleware: it
 * may rewrite the call options before the stage sees them, and wrap the call itself (time it,
 * cache it, guard it with a breaker, fall back to another stage). Every field is optional.
 *
 * @typeParam STAGE - the stage contract (`RerankStageV1`, ...)
 * @typeParam OPTIONS - its call options
 * @typeParam RESULT - what its `do*` method returns
 */
export type StageMiddleware<STAGE, OPTIONS, RESULT> = {
  /** Rewrites the call options (add a header, clamp a setting); the stage gets what it returns. */
  transformOptions?: (args: { options: OPTIONS; stage: STAGE }) => OPTIONS | PromiseLike<OPTIONS>;
  /**
   * Wraps the call: `doCall()` runs the next middleware, then the stage, with `options` (already
   * transformed). Return its result, a changed one, or another; throw to fail the call.
   */
  wrapCall?: (args: {
    doCall: () => Promise<RESULT>;
    options: OPTIONS;
    stage: STAGE;
  }) => Promise<RESULT>;
};
