/**
 * One row of the bad-input table: a call a user might make, and what twostage must answer.
 * `error` rows must reject (or throw) with that error class, naming `argument` when given;
 * `warning` rows must succeed with a warning matching the pattern; `cli` rows must exit with the
 * code and print a matching line.
 */
export type BadInputRow = {
  /** The package or surface (`core`, `embedded`, `local-onnx`, `cohere`, `pinecone`, `cli`). */
  area: string;
  /** The input, as the table in docs/reliability.md shows it. */
  input: string;
  /** What must happen. */
  expect:
    | { error: string; argument?: string; message?: RegExp }
    | { warning: RegExp }
    | { exitCode: number; stderr: RegExp };
  /** Makes the call; for `warning` rows it resolves to the result's warnings. */
  run: () => unknown;
};
