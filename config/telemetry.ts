// Where workloads send OpenTelemetry data inside every cluster: the CloudWatch agent that the
// amazon-cloudwatch-observability add-on runs, which forwards traces to X-Ray. One constant, so
// the chain service, the Lattice signer and the agent config (modules/addons/observability.ts, agentConfig, given these ports)
// agree.
//
// The host is the agent's Service: the add-on's chart names its agent `cloudwatch-agent`
// (aws-observability/helm-charts, values.yaml `agents`), the operator gives the Service the
// agent's name (aws/amazon-cloudwatch-agent-operator, internal/naming/main.go `Service`), and the
// add-on installs into `amazon-cloudwatch`. The ports are OTLP's standard ones (4317 gRPC, 4318
// HTTP), which the agent listens on only because agentConfig opens its `traces.otlp` receiver
// there: the add-on's default configuration listens for Application Signals on 4315/4316 only.

/** OTLP over gRPC, reached through the agent's Service in its namespace. */
export const OTLP_GRPC = { host: 'cloudwatch-agent.amazon-cloudwatch.svc.cluster.local', port: 4317 } as const;
/** OTLP over HTTP (what the chain service's exporter uses). */
export const OTLP_HTTP = { host: 'cloudwatch-agent.amazon-cloudwatch.svc.cluster.local', port: 4318 } as const;

/** The base URL an OTLP/HTTP exporter takes in OTEL_EXPORTER_OTLP_ENDPOINT (it appends /v1/traces). */
export const otlpHttpEndpoint = () => `http://${OTLP_HTTP.host}:${OTLP_HTTP.port}`;
