import type { ITerraformDependable } from 'cdktf';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { DataKubernetesServiceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1';
import { type ClusterAddOn, type ClusterInfo, helmChart, kubeObject, namespace, podSecurityLabels } from '../../modules/addons/addon';
import { CHARTS } from '../../modules/addons/charts';
import type { IstioClusterInput } from './input';
import { eastWestGatewayValues, ingressGatewayValues, istiodValues } from './control-plane-values';
import { intermediateCertificate, meshRootIssuer } from './intermediate-ca';
import { eastWestGateway, meshTracing, publicIngressGateway, strictMtls, type ExportedService } from './mesh-wide-objects';
import { GATEWAYS, NAMESPACES, POD_SECURITY } from './names';

// The Istio engine's control-plane stack of one cluster (engine.controlPlaneAddOns): the cluster's
// intermediate CA, istiod, the mesh-wide policy, the gateways and the east-west gateway's name.
// Each dependency below is an edge of ./order.ts; the CRDs come from the controllers stack.

export const ISTIOD_RELEASE = 'istiod';

export interface IstioControlPlaneProps {
  cluster: IstioClusterInput;
  /** The mesh root's ARN and region (the owner account's CA, shared through RAM). */
  rootCaArn: string;
  /** Services of this cluster that other accounts call; none → no east-west gateway at all. */
  exported: ExportedService[];
  /** Namespaces of this cluster's public services; none → no ingress gateway at all. */
  publicNamespaces: string[];
  /** The private zone of this account's east-west name, and the name (`eastwest.<zone>`). */
  eastWestDns?: { zoneId: string; name: string };
}

export class IstioControlPlaneAddOn implements ClusterAddOn {
  readonly name = 'istio-control-plane';

  constructor(private readonly props: IstioControlPlaneProps) {}

  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const { props } = this;
    const kube = (id: string, object: object, deps: ITerraformDependable[]) => kubeObject(cluster.scope, id, cluster.kubernetes, object as Record<string, unknown>, deps);
    const ca = { caArn: props.rootCaArn, caRegion: props.cluster.region, clusterName: props.cluster.clusterName };

    const issuer = kube('mesh-root-issuer', meshRootIssuer(ca), []);
    const intermediate = kube('intermediate-certificate', intermediateCertificate(ca), [issuer]);
    // istiod must not start before `cacerts` holds the intermediate, or it makes a root of its own.
    intermediate.putWait({ condition: [{ type: 'Ready', status: 'True' }] });
    const istiod = helmChart(cluster, ISTIOD_RELEASE, CHARTS.istiod, { namespace: NAMESPACES.istio, values: { ...istiodValues(props.cluster) }, dependsOn: [intermediate] });

    const ready: ITerraformDependable[] = [istiod, kube('strict-mtls', strictMtls(), [istiod]), kube('mesh-tracing', meshTracing(), [istiod])];

    if (props.publicNamespaces.length) {
      const ns = namespace(cluster, 'ingress-namespace', NAMESPACES.ingress, podSecurityLabels(POD_SECURITY[NAMESPACES.ingress]), [istiod]);
      const release = helmChart(cluster, GATEWAYS.ingress.name, CHARTS.istioGateway, { namespace: NAMESPACES.ingress, values: { ...ingressGatewayValues() }, dependsOn: [ns, istiod], release: GATEWAYS.ingress.name });
      ready.push(release, kube('public-gateway', publicIngressGateway(props.publicNamespaces), [release]));
    }

    if (props.exported.length) {
      const ns = namespace(cluster, 'eastwest-namespace', NAMESPACES.eastWest, podSecurityLabels(POD_SECURITY[NAMESPACES.eastWest]), [istiod]);
      const release = helmChart(cluster, GATEWAYS.eastWest.name, CHARTS.istioGateway, {
        namespace: NAMESPACES.eastWest,
        values: { ...eastWestGatewayValues(props.cluster.callerCidrs) },
        dependsOn: [ns, istiod],
        release: GATEWAYS.eastWest.name,
      });
      ready.push(release, kube('eastwest-gateway', eastWestGateway(props.exported), [release]));
      if (props.eastWestDns) {
        // Helm's wait holds the release until the LoadBalancer Service has an address
        // (helm.sh/helm/v3 pkg/kube/ready.go serviceReady), so the data source, read after the
        // release, sees the NLB's name.
        const svc = new DataKubernetesServiceV1(cluster.scope, 'eastwest-service', {
          provider: cluster.kubernetes,
          metadata: { name: GATEWAYS.eastWest.name, namespace: NAMESPACES.eastWest },
          dependsOn: [release],
        });
        ready.push(
          new Route53Record(cluster.scope, 'eastwest-dns', {
            provider: cluster.aws,
            zoneId: props.eastWestDns.zoneId,
            name: props.eastWestDns.name,
            type: 'CNAME',
            ttl: 60,
            records: [svc.status.get(0).loadBalancer.get(0).ingress.get(0).hostname],
          }),
        );
      }
    }
    return ready;
  }
}
