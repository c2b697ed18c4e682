import { InvalidArgumentError } from '@twostage/core';
import {
  checkOptionNames,
  validateInteger,
  validateTimeoutMs,
} from '@twostage/core/provider-utils';
import type { TeiProviderSettings } from './tei-provider-settings.js';

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
  if (record.baseUrl !== undefined) checkBaseUrl(record.baseUrl, 'settings.baseUrl');
  if (record.apiKey !== undefined && typeof record.apiKey !== 'string') {
    throw new InvalidArgumentError({ argument: 'settings.apiKey', message: 'must be a string.' });
  }
  const headers = record.headers;
  if (
    headers !== undefined &&
    (headers === null ||
      typeof headers !== 'object' ||
      Array.isArray(headers) ||
      !Object.values(headers).every((value) => typeof value === 'string'))
  ) {
    throw new InvalidArgumentError({
      argument: 'settings.headers',
      message: 'must be an object of string values.',
    });
  }
  if (record.fetch !== undefined && typeof record.fetch !== 'function') {
    throw new InvalidArgumentError({ argument: 'settings.fetch', message: 'must be a function.' });
  }
  for (const name of ['maxDocumentsPerCall', 'maxConcurrentTexts'] as const) {
    if (record[name] !== undefined) validateInteger(record[name], `settings.${name}`, { min: 1 });
  }
  validateTimeoutMs(record.timeoutMs, 'settings.timeoutMs');
  return {
    ...(settings as TeiProviderSettings),
    ...(headers === undefined ? {} : { headers: { ...(headers as Record<string, string>) } }),
  };
}

/**
 * A base URL must be an http(s) URL: otherwise `fetch` fails at every attempt with what reads as
 * a retryable network error. The value is not repeated in the message (it may hold user info).
 */
export function checkBaseUrl(baseUrl: unknown, source: string): string {
  let protocol: string | undefined;
  try {
    protocol = typeof baseUrl === 'string' ? new URL(baseUrl).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    const got = protocol === undefined ? 'a value that is not a URL' : `the scheme '${protocol}'`;
    throw new InvalidArgumentError({
      argument: source,
      message: `must be an http or https URL such as 'http://tei:8080', got ${got}.`,
    });
  }
  return baseUrl as string;
}
