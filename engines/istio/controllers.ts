import type { ITerraformDependable } from 'cdktf';
import { type ClusterAddOn, type ClusterInfo, helmChart, namespace, podSecurityLabels } from '../../modules/addons/addon';
import { CHARTS } from '../../modules/addons/charts';
import { PodIdentityRole } from '../../modules/workload-identity';
import { PCA_ISSUER_IMAGE } from '../../config/versions';
import type { IstioClusterInput } from './input';
import { istioBaseValues, istioCniValues } from './control-plane-values';
import { certManagerValues, pcaIssuerValues } from './pki-values';
import { issuerPolicy } from './intermediate-ca';
import { CERT_MANAGER, NAMESPACES, PCA_ISSUER, POD_SECURITY } from './names';

// The Istio engine's part of the controllers stack: everything whose CRDs the control-plane
// stack's objects need at plan time (cert-manager's Certificate, the issuer's AWSPCAIssuer,
// Istio's kinds from `base`), plus the CNI node agent, which must run before any injected pod.
// Order: ./order.ts.

export const ISTIO_RELEASES = { base: 'istio-base', cni: 'istio-cni' } as const;

/** Per-cluster IAM role name of the issuer (the cluster name prefixes it, as for every add-on role). */
export const pcaIssuerRoleName = (clusterName: string) => `${clusterName}-pca-issuer`;

export interface IstioControllersProps {
  /** The cluster's Istio input, by account name. */
  cluster: (account: string) => IstioClusterInput;
  /** The mesh root's ARN (the mesh stack's `mesh_arn`). */
  rootCaArn: string;
}

export class IstioControllersAddOn implements ClusterAddOn {
  readonly name = 'istio-controllers';

  constructor(private readonly props: IstioControllersProps) {}

  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const istioNs = namespace(cluster, 'istio-system-namespace', NAMESPACES.istio, podSecurityLabels(POD_SECURITY[NAMESPACES.istio]));
    const certNs = namespace(cluster, 'cert-manager-namespace', NAMESPACES.certManager, podSecurityLabels(POD_SECURITY[NAMESPACES.certManager]));

    const certManager = helmChart(cluster, CERT_MANAGER.release, CHARTS.certManager, { namespace: NAMESPACES.certManager, values: { ...certManagerValues() }, dependsOn: [certNs] });
    // The one credential in the cluster that can ask the mesh root for a CA certificate: bound
    // to the issuer's service account only, allowed only PathLen0 subordinate CAs of that root.
    const identity = new PodIdentityRole(cluster.scope, 'pca-issuer-identity', {
      provider: cluster.aws,
      roleName: pcaIssuerRoleName(cluster.clusterName),
      accountId: cluster.accountId,
      clusterName: cluster.clusterName,
      clusterNameRef: cluster.clusterNameRef,
      namespace: PCA_ISSUER.namespace,
      serviceAccount: PCA_ISSUER.serviceAccount,
      policy: issuerPolicy(this.props.rootCaArn) as unknown as { Version: string; Statement: object[] },
    });
    const issuer = helmChart(cluster, PCA_ISSUER.release, CHARTS.pcaIssuer, {
      namespace: PCA_ISSUER.namespace,
      values: { ...pcaIssuerValues(PCA_ISSUER_IMAGE) },
      dependsOn: [certManager, identity.association],
    });
    const base = helmChart(cluster, ISTIO_RELEASES.base, CHARTS.istioBase, { namespace: NAMESPACES.istio, values: { ...istioBaseValues() }, dependsOn: [istioNs], release: ISTIO_RELEASES.base });
    const cni = helmChart(cluster, ISTIO_RELEASES.cni, CHARTS.istioCni, { namespace: NAMESPACES.cni, values: { ...istioCniValues(this.props.cluster(cluster.accountName)) }, dependsOn: [base], release: ISTIO_RELEASES.cni });
    return [certManager, issuer, base, cni];
  }
}
