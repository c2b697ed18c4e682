/** The package version, sent nowhere but useful in logs. */
export const VERSION = '0.1.0';
