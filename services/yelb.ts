import type { ServiceInput } from './catalog';

/**
 * Yelb split across two accounts, as in the multi-account App Mesh walkthrough: the UI in the
 * frontend account, the app server and its stores in the backend account.
 */
export const yelbCatalog: ServiceInput[] = [
  { name: 'yelb-ui', account: 'frontend', port: 80, protocol: 'http', backends: ['yelb-appserver'], exposure: 'public' },
  { name: 'yelb-appserver', account: 'backend', port: 4567, protocol: 'http', backends: ['yelb-db', 'redis-server'] },
  { name: 'yelb-db', account: 'backend', port: 5432, protocol: 'tcp' },
  { name: 'redis-server', account: 'backend', port: 6379, protocol: 'tcp' },
];
