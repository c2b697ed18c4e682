import type { SharedV3Warning } from '@ai-sdk/provider';
import type { WarningV1 } from '@twostage/core';

/**
 * A warning of an AI SDK model, of either spec version, read loosely: v4 adds
 * `{ type: 'deprecated' }` and may add more, and unknown kinds are still carried, as messages.
 */
type AnyAiSdkWarning = { type?: unknown; feature?: unknown; details?: unknown; message?: unknown };

/**
 * twostage warnings in the AI SDK's shape (`@ai-sdk/provider` `SharedV3Warning`): an unsupported
 * setting is an unsupported feature, a lossy rendering of the input is compatibility mode.
 */
export function toAiSdkWarnings(warnings: readonly WarningV1[]): SharedV3Warning[] {
  return warnings.map((warning): SharedV3Warning => {
    switch (warning.type) {
      case 'unsupported-setting':
        return warning.details === undefined
          ? { type: 'unsupported', feature: warning.setting }
          : { type: 'unsupported', feature: warning.setting, details: warning.details };
      case 'lossy-input':
        return { type: 'compatibility', feature: 'documents', details: warning.details };
      default:
        return { type: 'other', message: warning.message };
    }
  });
}

/**
 * AI SDK warnings in twostage's shape. Compatibility mode for documents (the AI SDK's Cohere
 * provider JSON-stringifies object documents and says so) is what twostage calls a lossy input;
 * other compatibility notes and kinds twostage has no name for become plain messages.
 */
export function fromAiSdkWarnings(warnings: unknown): WarningV1[] {
  if (!Array.isArray(warnings)) return [];
  const result: WarningV1[] = [];
  for (const warning of warnings as AnyAiSdkWarning[]) {
    if (warning === null || typeof warning !== 'object') continue;
    const { type, message } = warning;
    const feature = typeof warning.feature === 'string' ? warning.feature : undefined;
    const details = typeof warning.details === 'string' ? warning.details : undefined;
    if (type === 'unsupported' && feature !== undefined) {
      result.push(
        details === undefined
          ? { type: 'unsupported-setting', setting: feature }
          : { type: 'unsupported-setting', setting: feature, details },
      );
    } else if (type === 'compatibility' && feature !== undefined && /document/i.test(feature)) {
      result.push({ type: 'lossy-input', details: details ?? `${feature} in compatibility mode` });
    } else if (type === 'other' && typeof message === 'string') {
      result.push({ type: 'other', message });
    } else {
      const text = [feature, details, typeof message === 'string' ? message : undefined]
        .filter((part) => part !== undefined && part !== '')
        .join(': ');
      result.push({ type: 'other', message: `${String(type)}${text === '' ? '' : `: ${text}`}` });
    }
  }
  return result;
}
