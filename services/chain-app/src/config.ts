/** Everything the service takes, from its environment only. */
export interface ChainConfig {
  serviceName: string;
  port: number;
  message: string;
  next?: { name: string; url: string };
  upstreamTimeoutMs: number;
  shutdownGraceMs: number;
  /** How long /readyz answers 503 before the listener closes (endpoint removal takes a moment). */
  drainDelayMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ChainConfig {
  const serviceName = env.SERVICE_NAME;
  if (!serviceName) throw new Error('SERVICE_NAME is not set. Fix: set it to this hop\'s name, e.g. service-a');
  const nextName = env.NEXT_SERVICE_NAME;
  const nextUrl = env.NEXT_SERVICE_URL;
  if (Boolean(nextName) !== Boolean(nextUrl)) throw new Error('NEXT_SERVICE_NAME and NEXT_SERVICE_URL go together. Fix: set both, or neither for the last hop');
  return {
    serviceName,
    port: Number(env.PORT ?? 8080),
    message: env.MESSAGE ?? `Hello from ${serviceName}`,
    next: nextName && nextUrl ? { name: nextName, url: nextUrl.replace(/\/$/, '') } : undefined,
    upstreamTimeoutMs: Number(env.UPSTREAM_TIMEOUT_MS ?? 2000),
    shutdownGraceMs: Number(env.SHUTDOWN_GRACE_MS ?? 10000),
    drainDelayMs: Number(env.SHUTDOWN_DRAIN_MS ?? 3000),
  };
}

/** "service-b" → "b": the recipe calls /call-b. */
export const shortName = (name: string) => name.slice(name.lastIndexOf('-') + 1);
