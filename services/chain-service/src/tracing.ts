import type { IncomingMessage } from 'node:http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ConfigError } from './config';

// Traces with OpenTelemetry, on when an OTLP endpoint is configured (the standard variables:
// OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_SDK_DISABLED=true turns
// it off). The HTTP instrumentation makes a server span per request and a client span per call
// to the next hop, and carries the W3C trace context (traceparent) on every call, so the hops of
// one request form one trace. Spans go out as OTLP/HTTP (JSON) in batches; the exporter and the
// batch processor read the other OTEL_* variables themselves (OTEL_BSP_SCHEDULE_DELAY, headers,
// timeouts). X-Ray takes W3C trace ids as they are: the CloudWatch agent's X-Ray exporter skips
// the old timestamp check of the first 32 bits (open-telemetry/opentelemetry-collector-contrib,
// exporter/awsxrayexporter, feature gate exporter.awsxray.skiptimestampvalidation, on by default).

export interface Tracing {
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/** Kubelet probes are not requests anyone follows: no spans for them. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz']);
const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0];

/** The configured OTLP endpoint, checked; undefined when tracing is off. */
export function tracingEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`${name}=${JSON.stringify(raw)} is not an http(s) URL. Fix: set it like http://cloudwatch-agent.amazon-cloudwatch.svc.cluster.local:4318, or unset it to turn tracing off`);
    }
    return url.toString();
  }
  return undefined;
}

/**
 * Starts tracing when an endpoint is configured. Call it before loading anything that serves or
 * calls HTTP: the instrumentation patches node:http when it is next required.
 */
export function startTracing(env: NodeJS.ProcessEnv, serviceName: string): Tracing | undefined {
  if (!tracingEndpoint(env)) return undefined;
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over the hop's name.
  const resource = defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName })).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  // The W3C trace context and baggage propagators, and async-hooks context, are the defaults.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(pathOf(req)) })],
  });
  return { shutdown: () => provider.shutdown() };
}
