import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.MissingSettingError';
const symbol = Symbol.for(marker);

/**
 * A required setting (an API key, an index host) was given neither as an option nor in the
 * environment. The message names both, so the fix is obvious.
 */
export class MissingSettingError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The option that would have supplied it, e.g. `apiKey`. */
  readonly setting: string;
  /** The environment variables read as a fallback, e.g. `['COHERE_API_KEY', 'CO_API_KEY']`. */
  readonly environmentVariables: readonly string[];

  constructor({
    setting,
    environmentVariables,
    description,
  }: { setting: string; environmentVariables: readonly string[]; description: string }) {
    const variables = environmentVariables.map((name) => `'${name}'`).join(' or ');
    super({
      name: 'MissingSettingError',
      message: `${description} is missing. Pass it as the '${setting}' option or set the ${variables} environment variable.`,
    });
    this.setting = setting;
    this.environmentVariables = environmentVariables;
  }

  /** Whether `error` is a `MissingSettingError`, from any copy of this package. */
  static override isInstance(error: unknown): error is MissingSettingError {
    return TwostageError.hasMarker(error, marker);
  }
}
