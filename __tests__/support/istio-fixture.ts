import { ISTIO_IMAGES, PCA_ISSUER_IMAGE } from '../../config/versions';
import { meshTrustDomain, type IstioClusterInput } from '../../engines/istio/input';

// The demo's two clusters as the Istio engine's builders see them (Yelb: yelb-ui in frontend
// calls yelb-appserver in backend), with the pins of config/versions.ts.

export const OWNER = '111111111111';
export const MEMBER = '222222222222';
export const REGION = 'us-west-2';
export const CA_ARN = `arn:aws:acm-pca:${REGION}:${OWNER}:certificate-authority/0b9c6a9e-1f2d-4c3b-9a8e-7d6c5b4a3f21`;
/** A stand-in for the public root certificate the mesh stack outputs (the builders only pass it on). */
export const ROOT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYm9ndXMtcm9vdC1mb3ItdGVzdHMwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n';

const trustDomains = [meshTrustDomain('meshdemo', 'frontend'), meshTrustDomain('meshdemo', 'backend')];

export const clusterInput = (account: 'frontend' | 'backend', extra: Partial<IstioClusterInput> = {}): IstioClusterInput => ({
  project: 'meshdemo',
  account,
  clusterName: `meshdemo-${account}`,
  region: REGION,
  trustDomain: meshTrustDomain('meshdemo', account),
  trustDomains,
  rootCaPem: ROOT_PEM,
  callerCidrs: account === 'backend' ? ['10.192.0.0/16'] : ['10.193.0.0/16'],
  images: { hub: ISTIO_IMAGES.hub, tag: ISTIO_IMAGES.tag },
  ...extra,
});

export const intermediateInput = { caArn: CA_ARN, caRegion: REGION, clusterName: 'meshdemo-backend' };
export const issuerImage = PCA_ISSUER_IMAGE;
