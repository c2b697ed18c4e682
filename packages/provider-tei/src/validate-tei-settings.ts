import { InvalidArgumentError } from '@twostage/core';
import {
  checkBaseUrl,
  checkOptionNames,
  checkStringHeaders,
  validateInteger,
  validateTimeoutMs,
} from '@twostage/core/provider-utils';
import type { TeiProviderSettings } from './tei-provider-settings.js';

/** The base URL a message about a wrong one shows as the expected form. */
export const teiBaseUrlExample = 'http://tei:8080';

/** The names `createTei` accepts. */
export const teiSettingNames = [
  'baseUrl',
  'apiKey',
  'headers',
  'fetch',
  'maxDocumentsPerCall',
  'maxConcurrentTexts',
  'timeoutMs',
] as const;

/** Checks every setting that is wrong whatever the call, when the provider is created. */
export function validateTeiSettings(settings: unknown): TeiProviderSettings {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidArgumentError({ argument: 'settings', message: 'must be an object.' });
  }
  checkOptionNames(settings, teiSettingNames, 'createTei()', 'settings');
  const record = settings as Record<string, unknown>;
  if (record.baseUrl !== undefined)
    checkBaseUrl(record.baseUrl, 'settings.baseUrl', teiBaseUrlExample);
  if (record.apiKey !== undefined && typeof record.apiKey !== 'string') {
    throw new InvalidArgumentError({ argument: 'settings.apiKey', message: 'must be a string.' });
  }
  const headers =
    record.headers === undefined
      ? undefined
      : checkStringHeaders(record.headers, 'settings.headers');
  if (record.fetch !== undefined && typeof record.fetch !== 'function') {
    throw new InvalidArgumentError({ argument: 'settings.fetch', message: 'must be a function.' });
  }
  for (const name of ['maxDocumentsPerCall', 'maxConcurrentTexts'] as const) {
    if (record[name] !== undefined) validateInteger(record[name], `settings.${name}`, { min: 1 });
  }
  validateTimeoutMs(record.timeoutMs, 'settings.timeoutMs');
  return {
    ...(settings as TeiProviderSettings),
    ...(headers === undefined ? {} : { headers }),
  };
}
