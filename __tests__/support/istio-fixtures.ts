import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadConfig, validateConfig, type MeshConfig } from '../../app/config';
import { demoConfig } from '../../config/demo';
import { istioWorkloadObjects } from '../../engines/istio/workload-objects';
import { meshAccount } from '../../engines/istio/mesh-names';
import type { KubeObject } from '../../modules/workloads/kube-objects';

// The configs the Istio routing tests run on, and the objects each account's workloads stack
// gets from them. Every config passes the project's own validation first.

const example = (file: string) => loadConfig({ MESH_CONFIG: path.resolve('examples', file) });

/**
 * The canary example plus a second and a third backend with thresholds of their own, so each
 * caller has several backends that must not share one: `payments` (http, other retries, outlier
 * detection and pool) and `ledger` (tcp, two weighted versions) called from both accounts. A tcp
 * service called from another account is not something Lattice carries, so this one validates
 * with the App Mesh engine's rules; the Istio objects do not depend on the engine named.
 */
function perBackendConfig(): MeshConfig {
  const raw = YAML.parse(fs.readFileSync(path.resolve('examples', 'canary-traffic-policy.yaml'), 'utf8'));
  raw.mesh.engine = 'appmesh';
  const storefront = raw.catalog.find((s: any) => s.name === 'storefront');
  storefront.backends = ['orders', 'payments', 'ledger'];
  raw.catalog.push(
    {
      name: 'payments',
      account: 'api',
      image: 'project/chain-service:0.2.0',
      port: 9100,
      protocol: 'http',
      runAs: { nonRoot: true, user: 1000, readOnlyRootFilesystem: true },
      backends: ['ledger'],
      traffic: {
        timeoutMs: 1200,
        retries: { attempts: 4, perTryTimeoutMs: 300, httpEvents: ['server-error', 'client-error', 'stream-error'], tcpEvents: ['connection-error'] },
        outlierDetection: { maxServerErrors: 2, intervalMs: 5000, baseEjectionMs: 60000, maxEjectionPercent: 100 },
        connectionPool: { maxConnections: 10, maxPendingRequests: 5, maxRequests: 20 },
      },
    },
    {
      name: 'ledger',
      account: 'api',
      image: 'project/chain-service:0.2.0',
      port: 5432,
      protocol: 'tcp',
      runAs: { nonRoot: true, user: 1000, readOnlyRootFilesystem: true },
      traffic: { connectionPool: { maxConnections: 7 }, outlierDetection: { maxServerErrors: 3, intervalMs: 2000, baseEjectionMs: 15000, maxEjectionPercent: 34 } },
      versions: [
        { name: 'blue', weight: 70 },
        { name: 'green', weight: 30 },
      ],
    },
  );
  return validateConfig(raw);
}

export const CONFIGS: Array<[string, MeshConfig]> = [
  ['Yelb (demo)', validateConfig(demoConfig)],
  ['chain', validateConfig({ ...demoConfig, catalog: 'chain' })],
  ['canary with traffic policy', example('canary-traffic-policy.yaml')],
  ['chain across three accounts', example('three-accounts-s3-chain.yaml')],
  ['several backends per caller', perBackendConfig()],
];

export const meshAccounts = (config: MeshConfig) => Object.fromEntries(config.accounts.map((a) => [a.name, meshAccount(config.project, a.name, config.region)]));

/** Each account's Istio workload objects. */
export function objectsByAccount(config: MeshConfig): Map<string, KubeObject[]> {
  const accounts = meshAccounts(config);
  return new Map(config.accounts.map((a) => [a.name, istioWorkloadObjects({ account: a.name, namespace: config.mesh.namespace, services: config.services, accounts })]));
}

export const ofKind = (objects: KubeObject[], kind: string, namespace?: string) =>
  objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));

/** The identity the test expects a service to have, spelled out here rather than taken from the builders. */
export const expectedPrincipal = (config: MeshConfig, account: string, namespace: string, serviceAccount: string) => `${account}.${config.project}.mesh/ns/${namespace}/sa/${serviceAccount}`;
export const expectedHost = (config: MeshConfig, service: string) => `${service}.${config.mesh.namespace}.svc.cluster.local`;
