// Where workloads send OpenTelemetry data inside every cluster: the CloudWatch agent that the
// amazon-cloudwatch-observability add-on runs (observability add-on), which forwards traces to
// X-Ray. One constant, so the chain service, the Lattice signer and the agent config agree.

/** OTLP over gRPC, reached through the agent's Service in its namespace. */
export const OTLP_GRPC = { host: 'cloudwatch-agent.amazon-cloudwatch.svc.cluster.local', port: 4317 } as const;
/** OTLP over HTTP (what the chain service's exporter uses). */
export const OTLP_HTTP = { host: 'cloudwatch-agent.amazon-cloudwatch.svc.cluster.local', port: 4318 } as const;
