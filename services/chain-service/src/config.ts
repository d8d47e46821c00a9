/** Everything one hop of the chain takes, read from its environment only. */
export interface ChainConfig {
  /** This hop's name, e.g. "service-a"; it is in every answer and log line. */
  serviceName: string;
  /** Port to listen on; 0 picks a free one (the "listening" log line reports it). */
  port: number;
  /** Address to listen on; undefined means every interface. */
  host?: string;
  message: string;
  /** The next hop; absent on the last one. */
  next?: { name: string; url: string };
  /** Deadline for a whole upstream call: connect, headers and body. */
  upstreamTimeoutMs: number;
  /** After SIGTERM, how long /readyz answers 503 while new connections are still served. */
  shutdownDrainMs: number;
  /** After the listener closes, how long in-flight requests get before their sockets are cut. */
  shutdownGraceMs: number;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a whole number between 0 and ${max}. Fix: set ${name} to e.g. ${fallback}, or unset it for the default ${fallback}`);
  }
  return value;
}

function upstreamUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`NEXT_SERVICE_URL=${JSON.stringify(raw)} is not a URL. Fix: set it like http://service-b:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`NEXT_SERVICE_URL=${JSON.stringify(raw)} must be http:// or https://. Fix: set it like http://service-b:8080`);
  }
  if (url.search || url.hash) throw new ConfigError(`NEXT_SERVICE_URL=${JSON.stringify(raw)} must not have a query or fragment. Fix: give only scheme, host, port (and a path prefix if any)`);
  // The paths called ("/", "/chain") are appended, so a trailing slash is dropped.
  return url.toString().replace(/\/+$/, '');
}

export function configFromEnv(env: NodeJS.ProcessEnv): ChainConfig {
  const serviceName = env.SERVICE_NAME?.trim();
  if (!serviceName) throw new ConfigError("SERVICE_NAME is not set. Fix: set it to this hop's name, e.g. service-a");
  const nextName = env.NEXT_SERVICE_NAME?.trim();
  const nextUrl = env.NEXT_SERVICE_URL?.trim();
  if (Boolean(nextName) !== Boolean(nextUrl)) {
    throw new ConfigError(`NEXT_SERVICE_NAME and NEXT_SERVICE_URL go together (${nextName ? 'the URL' : 'the name'} is missing). Fix: set both, or neither on the last hop`);
  }
  return {
    serviceName,
    port: integer(env, 'PORT', 8080, 65535),
    host: env.HOST?.trim() || undefined,
    message: env.MESSAGE ?? `Hello from ${serviceName}`,
    next: nextName && nextUrl ? { name: nextName, url: upstreamUrl(nextUrl) } : undefined,
    upstreamTimeoutMs: Math.max(1, integer(env, 'UPSTREAM_TIMEOUT_MS', 2000, 600000)),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 3000, 600000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10000, 600000),
  };
}

/** "service-b" → "b": the part after the last "-" (the whole name when there is none). */
export const shortName = (name: string): string => name.slice(name.lastIndexOf('-') + 1);

/** The paths that call the next hop's "/": "/call-b" and "/call-service-b" for "service-b". */
export function callPaths(nextName: string): string[] {
  return [...new Set([`/call-${shortName(nextName)}`, `/call-${nextName}`])];
}
