import type { ServiceInput } from './catalog';

// Yelb split across two accounts, as in the multi-account App Mesh walkthrough: the UI in the
// frontend account, the app server and its stores in the backend account. Image tags are the
// ones the walkthrough deployed (Docker Hub, read 2026-11-24).

const STARTS_AS_ROOT = (why: string) => ({ nonRoot: false as const, reason: why });

export const yelbCatalog: ServiceInput[] = [
  {
    name: 'yelb-ui',
    account: 'frontend',
    image: 'mreferre/yelb-ui:0.10',
    port: 80,
    protocol: 'http',
    healthCheck: { type: 'http', path: '/' },
    backends: ['yelb-appserver'],
    exposure: 'public',
    runAs: STARTS_AS_ROOT('nginx in this image binds port 80 and writes its cache under /var/cache/nginx as root'),
  },
  {
    name: 'yelb-appserver',
    account: 'backend',
    image: 'mreferre/yelb-appserver:0.7',
    port: 4567,
    protocol: 'http',
    backends: ['yelb-db', 'redis-server'],
    traffic: {
      timeoutMs: 15000,
      retries: { attempts: 3, perTryTimeoutMs: 2000, httpEvents: ['server-error', 'gateway-error'] },
      outlierDetection: { maxServerErrors: 5, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 50 },
    },
    runAs: STARTS_AS_ROOT('the image has no USER and its Sinatra app writes to /app at start'),
  },
  { name: 'yelb-db', account: 'backend', image: 'mreferre/yelb-db:0.6', port: 5432, protocol: 'tcp', replicas: 1, runAs: STARTS_AS_ROOT('the postgres entrypoint starts as root and drops to the postgres user itself') },
  { name: 'redis-server', account: 'backend', image: 'redis:4.0.2', port: 6379, protocol: 'tcp', replicas: 1, runAs: STARTS_AS_ROOT('the redis entrypoint starts as root and drops to the redis user itself') },
];
