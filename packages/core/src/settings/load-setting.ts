import { MissingSettingError } from '../errors/missing-setting-error.js';

/**
 * Reads an optional setting: the explicit option if given, else the first environment variable
 * that is set (non-blank). This and the CLI are the only places that read `process.env`, and
 * they read it when called, so a setting is looked up at first use, not at import.
 */
export function loadOptionalSetting({
  value,
  environmentVariables,
}: {
  value: string | undefined;
  environmentVariables: readonly string[];
}): string | undefined {
  if (value !== undefined) return value;
  for (const name of environmentVariables) {
    const fromEnvironment = process.env[name];
    if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment;
  }
  return undefined;
}

/**
 * Reads a required setting like {@link loadOptionalSetting}, throwing a `MissingSettingError`
 * that names both the option and the environment variables when neither supplies it. An explicit
 * option always wins: the environment is not even read then.
 *
 * @example loadSetting({ value: settings.apiKey, setting: 'apiKey',
 *   environmentVariables: ['COHERE_API_KEY', 'CO_API_KEY'], description: 'Cohere API key' })
 */
export function loadSetting(options: {
  value: string | undefined;
  setting: string;
  environmentVariables: readonly string[];
  description: string;
}): string {
  const loaded = loadOptionalSetting(options);
  if (loaded === undefined || loaded.trim() === '') {
    throw new MissingSettingError({
      setting: options.setting,
      environmentVariables: options.environmentVariables,
      description: options.description,
    });
  }
  return loaded;
}
