import type { WarningV1 } from '@twostage/core';

/** A stage's warning as one line of text. */
export function warningMessage(warning: WarningV1): string {
  switch (warning.type) {
    case 'other':
      return warning.message;
    case 'lossy-input':
      return `lossy input: ${warning.details}`;
    case 'unsupported-setting':
      return `unsupported setting '${warning.setting}'${warning.details === undefined ? '' : `: ${warning.details}`}`;
    default:
      return JSON.stringify(warning);
  }
}
