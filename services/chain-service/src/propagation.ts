import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// What a hop passes on to the next one besides the request itself.

/** Trace context, passed on so the mesh's traces (X-Ray, Zipkin/B3, W3C) connect the hops. */
const TRACE_HEADERS = ['x-request-id', 'traceparent', 'tracestate', 'x-amzn-trace-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3'];

/**
 * Deadline propagation: each hop tells the next how long it will wait for it, and the next hop
 * waits a little less for its own upstream. So the hop nearest a stuck service times out first
 * and the 504 names the right upstream, even when every hop has the same UPSTREAM_TIMEOUT_MS.
 */
export const BUDGET_HEADER = 'x-chain-budget-ms';
/**
 * What a hop keeps back of its caller's budget to turn its own upstream's timeout into an answer
 * and send it back: a tenth of the budget, at least 50 ms.
 */
export const budgetMargin = (budgetMs: number): number => Math.max(50, Math.floor(budgetMs / 10));

/** The deadline for this hop's upstream call: its own timeout, shortened by the caller's budget. */
export function upstreamTimeout(configuredMs: number, headers: IncomingHttpHeaders): number {
  const raw = headers[BUDGET_HEADER];
  const budget = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!raw || !Number.isFinite(budget) || budget <= 0) return configuredMs;
  return Math.max(1, Math.min(configuredMs, Math.floor(budget - budgetMargin(budget))));
}

/** The headers for the call to the next hop. */
export function forwardedHeaders(incoming: IncomingHttpHeaders, timeoutMs: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { [BUDGET_HEADER]: String(timeoutMs) };
  for (const name of TRACE_HEADERS) if (incoming[name] !== undefined) headers[name] = incoming[name];
  return headers;
}
