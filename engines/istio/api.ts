// The custom resources the Istio engine's control plane emits, typed for the fields it sets, and
// where each kind's CRD lives upstream at the pinned version (the tests validate every object
// against it; nothing is copied here). A misspelt field is a compile error here and a schema
// failure in the tests.

/** Istio 1.30.3 serves `v1` for every kind below (the storage version, except Telemetry's v1alpha1, same schema). */
export const ISTIO_CRDS = { repo: 'istio/istio', ref: '1.30.3', path: 'manifests/charts/base/files/crd-all.gen.yaml' } as const;
export const CERT_MANAGER_CRDS = { repo: 'cert-manager/cert-manager', ref: 'v1.21.1', path: 'deploy/crds/cert-manager.io_certificates.yaml' } as const;
export const PCA_ISSUER_CRDS = { repo: 'cert-manager/aws-privateca-issuer', ref: 'v1.9.0', path: 'charts/aws-pca-issuer/crds/awspca.cert-manager.io_awspcaissuers.yaml' } as const;

export const ISTIO_NETWORKING_API = 'networking.istio.io/v1';
export const ISTIO_SECURITY_API = 'security.istio.io/v1';
export const ISTIO_TELEMETRY_API = 'telemetry.istio.io/v1';
export const CERT_MANAGER_API = 'cert-manager.io/v1';
export const PCA_ISSUER_API = 'awspca.cert-manager.io/v1beta1';

interface Meta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
}

export interface PeerAuthentication {
  apiVersion: typeof ISTIO_SECURITY_API;
  kind: 'PeerAuthentication';
  metadata: Meta;
  spec: { mtls: { mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' } };
}

export interface Telemetry {
  apiVersion: typeof ISTIO_TELEMETRY_API;
  kind: 'Telemetry';
  metadata: Meta;
  spec: { tracing: Array<{ providers: Array<{ name: string }>; randomSamplingPercentage: number }> };
}

export interface GatewayServer {
  port: { number: number; name: string; protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' };
  /** `<namespace>/<host>`; the namespace part says which namespaces' routes may bind. */
  hosts: string[];
  tls?: { mode: 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' };
}

export interface IstioGateway {
  apiVersion: typeof ISTIO_NETWORKING_API;
  kind: 'Gateway';
  metadata: Meta;
  spec: { selector: Record<string, string>; servers: GatewayServer[] };
}

/** awspcaissuers.awspca.cert-manager.io (pkg/api/v1beta1/awspcaissuer_types.go, v1.9.0); namespaced. */
export interface AWSPCAIssuer {
  apiVersion: typeof PCA_ISSUER_API;
  kind: 'AWSPCAIssuer';
  metadata: Meta;
  spec: {
    arn: string;
    region: string;
    /** Overrides the template the issuer would pick from the request; name without `arn:...:template/`. */
    pcaTemplate?: { defaultTemplateName: string };
  };
}

/** certificates.cert-manager.io v1 (v1.21.1), the fields this project sets. */
export interface Certificate {
  apiVersion: typeof CERT_MANAGER_API;
  kind: 'Certificate';
  metadata: Meta;
  spec: {
    isCA: boolean;
    commonName: string;
    secretName: string;
    duration: string;
    renewBefore: string;
    privateKey: { algorithm: 'ECDSA' | 'RSA' | 'Ed25519'; size: number; rotationPolicy: 'Always' | 'Never' };
    issuerRef: { group: string; kind: string; name: string };
  };
}

export type ControlPlaneObject = PeerAuthentication | Telemetry | IstioGateway | AWSPCAIssuer | Certificate;
