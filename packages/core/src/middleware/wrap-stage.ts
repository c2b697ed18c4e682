import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { describe, validateStage } from '../util/validate-arguments.js';
import type { StageMiddleware } from './stage-middleware.js';

const middlewareNames = ['transformOptions', 'wrapCall'] as const;

/**
 * Wraps `stage` in `middleware` (one, or a list whose first entry is the outermost), keeping
 * every property of the contract (`provider`, `modelId`, limits, `scoreKind`) and replacing the
 * `method` call. The one implementation behind `wrapRerankStage`, `wrapRetrieveStage` and
 * `wrapEmbeddingModel`.
 */
export function wrapStage<STAGE extends object, OPTIONS, RESULT>(
  stage: STAGE,
  middleware:
    | StageMiddleware<STAGE, OPTIONS, RESULT>
    | readonly StageMiddleware<STAGE, OPTIONS, RESULT>[],
  method: string,
  properties: readonly (keyof STAGE)[],
  what: string,
): STAGE {
  validateStage(stage, 'stage', method);
  const list = Array.isArray(middleware) ? middleware : [middleware];
  list.forEach((entry: unknown, index) => {
    const argument = Array.isArray(middleware) ? `middleware[${index}]` : 'middleware';
    if (entry === null || typeof entry !== 'object') {
      throw new InvalidArgumentError({
        argument,
        message: `must be an object with transformOptions and/or wrapCall, got ${describe(entry)}.`,
      });
    }
    checkOptionNames(entry, middlewareNames, what, argument);
    for (const name of middlewareNames) {
      const hook = (entry as Record<string, unknown>)[name];
      if (hook !== undefined && typeof hook !== 'function') {
        throw new InvalidArgumentError({
          argument: `${argument}.${name}`,
          message: `must be a function, got ${describe(hook)}.`,
        });
      }
    }
  });
  return (list as readonly StageMiddleware<STAGE, OPTIONS, RESULT>[]).reduceRight<STAGE>(
    (inner, entry) => wrapOnce(inner, entry, method, properties),
    stage,
  );
}

function wrapOnce<STAGE extends object, OPTIONS, RESULT>(
  stage: STAGE,
  middleware: StageMiddleware<STAGE, OPTIONS, RESULT>,
  method: string,
  properties: readonly (keyof STAGE)[],
): STAGE {
  const call = (stage as Record<string, (options: OPTIONS) => Promise<RESULT>>)[method] as (
    options: OPTIONS,
  ) => Promise<RESULT>;
  const wrapped: Record<string, unknown> = {};
  for (const property of properties) wrapped[property as string] = stage[property];
  wrapped[method] = async (callerOptions: OPTIONS): Promise<RESULT> => {
    const options =
      middleware.transformOptions === undefined
        ? callerOptions
        : await middleware.transformOptions({ options: callerOptions, stage });
    const doCall = async () => call.call(stage, options);
    return middleware.wrapCall === undefined
      ? doCall()
      : middleware.wrapCall({ doCall, options, stage });
  };
  return wrapped as STAGE;
}
