import type { ServiceInput } from './catalog';

/** The recipe's chain: service-a (public, frontend) calls service-b, which calls service-c. */
export const chainCatalog: ServiceInput[] = [
  { name: 'service-a', account: 'frontend', port: 8080, protocol: 'http', backends: ['service-b'], exposure: 'public' },
  { name: 'service-b', account: 'backend', port: 8080, protocol: 'http', backends: ['service-c'] },
  { name: 'service-c', account: 'backend', port: 8080, protocol: 'http' },
];
