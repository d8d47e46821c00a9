// cdktf records a complete stack trace for every token it creates (an Intrinsic, a Lazy, each
// computed attribute: node_modules/cdktf/lib/tokens/private/stack-trace.js sets
// Error.stackTraceLimit to MAX_SAFE_INTEGER and formats the trace at once), only to print it if
// that token later fails to resolve. Formatting those traces is about a sixth of the synth of 10
// accounts × 100 services (`npm run bench`). While `run` executes, such records (plain objects,
// never Errors) get an empty trace, so cdktf keeps none; an Error still gets its full stack, in
// V8's format, and the previous hook is restored afterwards.

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const v8Format: PrepareStackTrace = (error, frames) => [String(error), ...frames.map((f) => `    at ${f}`)].join('\n');

export function withoutTokenStackTraces<T>(run: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]) => {
    if (!(target instanceof Error)) return '';
    return (previous ?? v8Format)(target, frames);
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
