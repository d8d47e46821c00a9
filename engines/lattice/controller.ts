import type { ITerraformDependable } from 'cdktf';
import { DataHttp } from '@cdktf/provider-http/lib/data-http';
import { HttpProvider } from '@cdktf/provider-http/lib/provider';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { PodIdentityRole } from '../../modules/workload-identity';
import { type ClusterAddOn, type ClusterInfo, helmChart, namespace, podSecurityLabels } from '../../modules/addons/addon';
import { CHARTS } from '../../modules/addons/charts';
import { GATEWAY_API_CRDS_URL } from '../../config/versions';
import { LATTICE_CONTROLLER_POLICY } from './controller-policy';
import { servedPorts } from './topology';
import type { ServiceSpec } from '../../config/catalog/schema';

const NAMESPACE = 'aws-application-networking-system';
const SERVICE_ACCOUNT = 'gateway-api-controller';

/**
 * The AWS Gateway API Controller for VPC Lattice: the Gateway API CRDs (standard channel, the
 * pinned release), the controller's IAM bound to its service account, the pinned chart, and
 * node ingress from VPC Lattice's managed prefix list on the ports this cluster serves.
 */
export class LatticeControllerAddOn implements ClusterAddOn {
  readonly name = 'aws-gateway-api-controller';

  /** `services`: the whole catalog; the nodes admit Lattice on the ports this cluster's services serve. */
  constructor(private readonly services: ServiceSpec[]) {}

  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const { scope } = cluster;
    const crds = this.gatewayApiCrds(cluster);
    const ns = namespace(cluster, 'lattice-controller-ns', NAMESPACE, { name: NAMESPACE, ...podSecurityLabels({ enforce: 'baseline', warnAndAudit: 'restricted' }) });
    const identity = new PodIdentityRole(scope, 'lattice-controller-identity', {
      provider: cluster.aws,
      roleName: `${cluster.clusterName}-lattice-controller`,
      accountId: cluster.accountId,
      clusterName: cluster.clusterName,
      clusterNameRef: cluster.clusterNameRef,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      policy: LATTICE_CONTROLLER_POLICY,
    });
    const release = helmChart(cluster, 'aws-gateway-controller', CHARTS.latticeController, {
      namespace: NAMESPACE,
      values: {
        awsRegion: cluster.region,
        awsAccountId: cluster.accountId,
        clusterVpcId: cluster.vpcId,
        clusterName: cluster.clusterName,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        deployment: { replicas: 2 },
      },
      dependsOn: [crds, ns, identity.association],
    });
    // Lattice reaches pod IPs from its own address range, published as a managed prefix list.
    const lattice = new DataAwsEc2ManagedPrefixList(scope, 'lattice-prefix-list', { provider: cluster.aws, name: `com.amazonaws.${cluster.region}.vpc-lattice` });
    for (const port of servedPorts(this.services, cluster.accountName)) {
      new VpcSecurityGroupIngressRule(scope, `nodes-from-lattice-${port}`, {
        provider: cluster.aws,
        securityGroupId: cluster.nodeSecurityGroupId,
        description: `VPC Lattice to pods on ${port}`,
        prefixListId: lattice.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
      });
    }
    return [release];
  }

  /**
   * The CRDs of the pinned Gateway API release, fetched at plan time from its release URL and
   * applied document by document: pinned by version, not copied into this repository.
   */
  private gatewayApiCrds(cluster: ClusterInfo): Manifest {
    const http = new HttpProvider(cluster.scope, 'http');
    const bundle = new DataHttp(cluster.scope, 'gateway-api-crds', { provider: http, url: GATEWAY_API_CRDS_URL });
    bundle.addOverride('lifecycle.postcondition', [{ condition: '${self.status_code == 200}', error_message: `Could not download the Gateway API CRDs from ${GATEWAY_API_CRDS_URL}` }]);
    const crds = new Manifest(cluster.scope, 'gateway-api-crd', { provider: cluster.kubernetes, manifest: {} });
    crds.addOverride('for_each', `\${{ for doc in provider::kubernetes::manifest_decode_multi(${bundle.fqn}.response_body) : doc.metadata.name => doc }}`);
    crds.addOverride('manifest', '${each.value}');
    return crds;
  }
}
