/**
 * OpenTelemetry spans without depending on OpenTelemetry: `@opentelemetry/api` is an optional
 * peer dependency, imported on first use; when the application has not installed it (or
 * registered no tracer provider, where the API hands out no-op spans) tracing costs nothing
 * more. Only the few members used here are typed, so core's declarations never reference the
 * package.
 */
type SpanLike = {
  setAttribute(key: string, value: string | number | boolean): unknown;
  recordException(exception: Error | string): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
};

type TracerLike = {
  startActiveSpan<T>(name: string, run: (span: SpanLike) => T): T;
};

type TraceApi = { trace: { getTracer(name: string, version?: string): TracerLike } };

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const statusError = 2;

let tracer: Promise<TracerLike | undefined> | undefined;

function loadTracer(): Promise<TracerLike | undefined> {
  tracer ??= import('@opentelemetry/api').then(
    (api) => (api as unknown as TraceApi).trace.getTracer('@twostage/core'),
    () => undefined,
  );
  return tracer;
}

/** Attributes a span carries; `undefined` values are left out. */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/**
 * Runs `work` inside an active span named `name` (so spans of the stages nest under the
 * search's), records its failure, and lets `work` add attributes once it knows them.
 */
export async function traceSpan<T>(
  name: string,
  attributes: SpanAttributes,
  work: (setAttributes: (more: SpanAttributes) => void) => Promise<T>,
): Promise<T> {
  const active = await loadTracer();
  if (active === undefined) return work(() => {});
  return active.startActiveSpan(name, async (span) => {
    const set = (more: SpanAttributes) => {
      for (const [key, value] of Object.entries(more)) {
        if (value !== undefined) span.setAttribute(key, value);
      }
    };
    set(attributes);
    try {
      return await work(set);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: statusError,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}
