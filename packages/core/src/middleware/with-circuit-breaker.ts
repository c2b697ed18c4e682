import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import { AbortedError } from '../errors/aborted-error.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { EmbeddingModelV1 } from '../spec/v1/embedding-model-v1.js';
import type { RerankStageV1 } from '../spec/v1/rerank-stage-v1.js';
import type { RetrieveStageV1 } from '../spec/v1/retrieve-stage-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { describe, validateInteger } from '../util/validate-arguments.js';
import { wrapEmbeddingModel } from './wrap-embedding-model.js';
import { wrapRerankStage } from './wrap-rerank-stage.js';
import { wrapRetrieveStage } from './wrap-retrieve-stage.js';

/** Options of {@link withCircuitBreaker}. */
export type CircuitBreakerOptions = {
  /**
   * Consecutive failed calls that open the circuit.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * How long the circuit stays open before one trial call is let through (half-open): success
   * closes it, failure opens it for another cool-down.
   * @default 30000
   */
  cooldownMs?: number;
  /** Called on every change of state, e.g. to log or count it. */
  onStateChange?: (state: CircuitBreakerState) => void;
};

/** The state of a circuit. */
export type CircuitBreakerState = 'closed' | 'open' | 'half-open';

const optionNames = [
  'failureThreshold',
  'cooldownMs',
  'onStateChange',
] as const satisfies readonly (keyof CircuitBreakerOptions)[];

const stateNames: Record<CircuitState, CircuitBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * A failure that says something about the stage's health. The caller's own abort and a bad
 * argument (the caller's mistake, not the provider's) do not count.
 */
function isStageFailure(error: unknown): boolean {
  return !AbortedError.isInstance(error) && !InvalidArgumentError.isInstance(error);
}

/**
 * Guards a stage with a circuit breaker: after `failureThreshold` consecutive failures the
 * stage is not called for `cooldownMs` — calls fail at once with a `CircuitOpenError` instead
 * of each costing a full timeout against a dead provider — then one trial call decides whether
 * it closes again. Share the returned stage between calls: the circuit's state lives in it.
 *
 * Built on cockatiel's circuit breaker (consecutive-failure policy, half-open trial), as a
 * middleware (`wrapRerankStage` & co.), so it composes with the others.
 *
 * @throws InvalidArgumentError for a value that is not a v1 stage, or bad options
 */
export function withCircuitBreaker<
  STAGE extends RerankStageV1 | RetrieveStageV1 | EmbeddingModelV1,
>(stage: STAGE, options: CircuitBreakerOptions = {}): STAGE {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `must be an object, got ${describe(options)}.`,
    });
  }
  checkOptionNames(options, optionNames, 'withCircuitBreaker()');
  const failureThreshold = validateInteger(options.failureThreshold ?? 5, 'failureThreshold', {
    min: 1,
  });
  const cooldownMs = validateInteger(options.cooldownMs ?? 30_000, 'cooldownMs', { min: 1 });
  const { onStateChange } = options;
  if (onStateChange !== undefined && typeof onStateChange !== 'function') {
    throw new InvalidArgumentError({
      argument: 'onStateChange',
      message: `must be a function, got ${describe(onStateChange)}.`,
    });
  }
  const policy = circuitBreaker(handleWhen(isStageFailure), {
    halfOpenAfter: cooldownMs,
    breaker: new ConsecutiveBreaker(failureThreshold),
  });
  if (onStateChange !== undefined) {
    policy.onStateChange((state) => onStateChange(stateNames[state]));
  }
  const name = `${(stage as { provider?: unknown }).provider}:${(stage as { modelId?: unknown }).modelId}`;
  const middleware = {
    async wrapCall({ doCall }: { doCall: () => Promise<unknown> }): Promise<never> {
      try {
        return (await policy.execute(() => doCall())) as never;
      } catch (error) {
        if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
          throw new CircuitOpenError({ stage: name, cause: error });
        }
        throw error;
      }
    },
  };
  const method = ['doRerank', 'doRetrieve', 'doEmbed'].find(
    (candidate) => typeof (stage as unknown as Record<string, unknown>)?.[candidate] === 'function',
  );
  switch (method) {
    case 'doRerank':
      return wrapRerankStage(stage as RerankStageV1, middleware) as STAGE;
    case 'doRetrieve':
      return wrapRetrieveStage(stage as RetrieveStageV1, middleware) as STAGE;
    case 'doEmbed':
      return wrapEmbeddingModel(stage as EmbeddingModelV1, middleware) as STAGE;
    default:
      throw new InvalidArgumentError({
        argument: 'stage',
        message: `must be a rerank stage, a retrieve stage or an embedding model, got ${describe(stage)}.`,
      });
  }
}
