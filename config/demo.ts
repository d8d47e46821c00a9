import type { ConfigInput } from './schema';
import { DEFAULT_EKS_VERSION } from './platform';

const demoCluster = () => ({
  version: DEFAULT_EKS_VERSION,
  instanceTypes: ['m6i.large'],
  minSize: 2,
  desiredSize: 2,
  maxSize: 4,
  // Documentation range (RFC 5737): replace it with your own egress range, or leave the list
  // empty to keep the API private and run cdktf from inside the peered network.
  publicAccessCidrs: ['203.0.113.0/24'],
});

/**
 * The default config: the multi-account walkthrough's layout (Yelb's UI in one account, its app
 * server and stores in another), on VPC Lattice. The ids are placeholders, so
 * everything synthesizes and plans with no AWS account; put your own in a config file to deploy.
 */
export const demoConfig: ConfigInput = {
  project: 'meshdemo',
  region: 'us-west-2',
  accounts: [
    {
      name: 'frontend',
      id: '111111111111',
      roleArn: 'arn:aws:iam::111111111111:role/cdktf-mesh-deployer',
      vpc: { cidr: '10.192.0.0/16', azCount: 2 },
      cluster: demoCluster(),
    },
    {
      name: 'backend',
      id: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/cdktf-mesh-deployer',
      vpc: { cidr: '10.193.0.0/16', azCount: 2 },
      cluster: demoCluster(),
    },
  ],
  mesh: { engine: 'lattice', owner: 'frontend', name: 'yelb', sameOrganization: false, namespace: 'yelb' },
  catalog: 'yelb',
  backend: { type: 'local' },
  tags: { Project: 'eks-multi-account-mesh', ManagedBy: 'cdktf' },
};
