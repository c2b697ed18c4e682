/** The package version, reported in errors and benchmarks. */
export const VERSION = '0.1.0';
