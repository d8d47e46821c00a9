import type { ServiceInput } from './schema';

// Yelb split across two accounts, as in the multi-account App Mesh walkthrough: the UI in the
// frontend account, the app server and its stores in the backend account. Image tags are the
// ones the walkthrough deployed (Docker Hub, read 2026-11-24).
//
// Every container runs as a non-root user (the container-non-root-limits policy control). The
// images were built to start as root, so each gets what it needs to run without it; this is
// checked by synth and schema here, not yet on a live cluster (README, "Yelb without root").

const APPSERVER_PORT = 4567;

/**
 * The UI image's start script rewrites /etc/nginx/conf.d and writes to /, which needs root.
 * The same server block is mounted instead and nginx started directly: static files from the
 * image's build, /api proxied to the app server.
 */
const UI_SERVER_CONF = `server {
    listen 80;
    server_name localhost;
    root /clarity-seed/prod/dist;
    index index.html;
    location /api {
        proxy_pass http://yelb-appserver:${APPSERVER_PORT}/api;
        proxy_http_version 1.1;
    }
}
`;

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
    // 101 is the nginx user of the official nginx base image; port 80 comes from the
    // unprivileged-port sysctl the Deployment gets for ports below 1024.
    runAs: { nonRoot: true, user: 101, readOnlyRootFilesystem: true },
    command: ['nginx', '-g', 'daemon off;'],
    files: [{ path: '/etc/nginx/conf.d/default.conf', content: UI_SERVER_CONF }],
    writablePaths: ['/var/cache/nginx', '/var/run'],
  },
  {
    name: 'yelb-appserver',
    account: 'backend',
    image: 'mreferre/yelb-appserver:0.7',
    port: APPSERVER_PORT,
    protocol: 'http',
    // The app serves no "/"; /api/hostname answers from the process alone (Socket.gethostname in
    // yelb-appserver.rb at tag 0.7), so a slow database cannot fail the health check.
    healthCheck: { type: 'http', path: '/api/hostname' },
    backends: ['yelb-db', 'redis-server'],
    traffic: {
      timeoutMs: 15000,
      retries: { attempts: 3, perTryTimeoutMs: 2000, httpEvents: ['server-error', 'gateway-error'] },
      outlierDetection: { maxServerErrors: 5, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 50 },
    },
    // The image has no USER; the Sinatra app only reads /app. The root filesystem stays
    // writable because Ruby gems may write caches under the image's home folder.
    runAs: { nonRoot: true, user: 1001, readOnlyRootFilesystem: false },
  },
  {
    name: 'yelb-db',
    account: 'backend',
    image: 'mreferre/yelb-db:0.6',
    port: 5432,
    protocol: 'tcp',
    replicas: 1,
    // 999 is the postgres user of the postgres base image; its entrypoint skips the chown and
    // privilege drop when it does not start as root. PGDATA is a subfolder of the volume so
    // the entrypoint creates it owned by that user, as initdb requires.
    runAs: { nonRoot: true, user: 999, readOnlyRootFilesystem: false },
    env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    writablePaths: ['/var/lib/postgresql/data', '/var/run/postgresql'],
  },
  {
    name: 'redis-server',
    account: 'backend',
    image: 'redis:4.0.2',
    port: 6379,
    protocol: 'tcp',
    replicas: 1,
    // 999 is the redis user of the image; its entrypoint runs redis directly when not root.
    runAs: { nonRoot: true, user: 999, readOnlyRootFilesystem: true },
    writablePaths: ['/data'],
  },
];
