import { Fn } from 'cdktf';
import type { MeshBuild, MeshEngine } from '../engine';
import { accountByName, type MeshConfig } from '../../config/load';
import { podSecurityLabels } from '../../modules/addons/addon';
import { SharedPrivateZone } from '../../modules/private-zone';
import { SharedMeshCa } from './shared-ca';
import { IstioControllersAddOn } from './controllers';
import { IstioControlPlaneAddOn } from './control-plane';
import { istioRouting } from './routing';
import { istioClusterSignals } from './signals';
import { istioCatalogProblems } from './catalog-fit';
import { callerAccountsOf, clusterInput, eastWestZoneName } from './cluster-input';
import { servedToOtherAccounts } from './federation';
import { EASTWEST_GATEWAY, meshAccount, serviceHost } from './mesh-names';

/** Accounts whose services another account calls: each gets an east-west gateway and a zone naming it. */
const servingAccounts = (config: MeshConfig) => config.accounts.map((a) => a.name).filter((a) => servedToOtherAccounts(config.services, a).length > 0);

/**
 * Istio in sidecar mode, one control plane per cluster, federated from the catalog: no cluster
 * reads another's API. Calls between accounts go mTLS end to end through the callee's east-west
 * gateway (an internal NLB on 15443 over the VPC peering); one AWS Private CA root in the owner
 * account, shared through RAM, signs each cluster's intermediate.
 */
export const istioEngine: MeshEngine = {
  name: 'istio',
  callsNeedPeering: true,
  // Every cross-account call enters the callee's cluster at its east-west gateway.
  peerPort: () => EASTWEST_GATEWAY.tlsPort,
  meshMocks: (config, ownerAccountId) => ({
    arn: `arn:aws:acm-pca:${config.region}:${ownerAccountId}:certificate-authority/00000000-0000-0000-0000-000000000000`,
    id: '00000000-0000-0000-0000-000000000000',
  }),

  endpointOutput(config, account) {
    return {
      key: 'istio_service_hosts',
      description: 'The name each Istio service of this account is called by, in every account',
      mock: Object.fromEntries(config.services.filter((s) => s.account === account).map((s) => [s.name, serviceHost(s, config.mesh.namespace)])),
    };
  },

  unsupported: (_config, services) => istioCatalogProblems(services).map((p) => ({ path: [...p.path], message: p.message })),

  buildSharedMesh(build: MeshBuild) {
    const { config, providers } = build;
    const owner = accountByName(config, config.mesh.owner);
    const root = new SharedMeshCa(build.scope, 'istio-root', {
      project: config.project,
      meshName: config.mesh.name,
      owner: { provider: providers.get(owner.name)! },
      members: config.accounts.filter((a) => a.name !== owner.name).map((a) => ({ name: a.name, accountId: a.id, provider: providers.get(a.name)! })),
      sameOrganization: config.mesh.sameOrganization,
    });
    // Each account that serves other accounts names its east-west gateway in a private zone of
    // its own, resolvable from its callers' VPCs; its control-plane stack writes the record.
    const viewer = (name: string) => ({ name, provider: providers.get(name)!, vpcId: build.network().entry('vpc_ids', name) });
    const zones = servingAccounts(config).map((account) => {
      const zone = new SharedPrivateZone(build.scope, `eastwest-zone-${account}`, {
        domain: eastWestZoneName(config.project, account),
        owner: viewer(account),
        viewers: callerAccountsOf(config.services, account).map(viewer),
        comment: `Name of the Istio east-west gateway of ${account} (mesh ${config.mesh.name})`,
      });
      return [account, zone.zone.zoneId] as const;
    });
    return {
      mesh_name: config.mesh.name,
      mesh_arn: root.installed.certificateAuthorityArn,
      // The CA's id is the last part of its ARN.
      mesh_id: Fn.element(Fn.split('/', root.ca.arn), 1),
      mesh_owner_account_id: owner.id,
      resource_share_arn: root.share.share.arn,
      cloud_map_namespace_ids: {},
      cloud_map_namespace_names: {},
      dns_zone_ids: Object.fromEntries(zones),
      root_ca_pem: root.rootCertificate.certificate,
    };
  },

  // The add-on learns its account from the cluster it is deployed to.
  controllerAddOns: (mesh, config) => [new IstioControllersAddOn({ cluster: (account) => clusterInput(config, account, mesh), rootCaArn: mesh.string('mesh_arn') })],

  controlPlaneAddOns(mesh, config, account) {
    const exported = servedToOtherAccounts(config.services, account.name).map((s) => ({ name: s.name, namespace: config.mesh.namespace }));
    const hasPublic = config.services.some((s) => s.account === account.name && s.exposure === 'public');
    return [
      new IstioControlPlaneAddOn({
        cluster: clusterInput(config, account.name, mesh),
        rootCaArn: mesh.string('mesh_arn'),
        exported,
        publicNamespaces: hasPublic ? [config.mesh.namespace] : [],
        eastWestDns: exported.length ? { zoneId: mesh.entry('dns_zone_ids', account.name), name: meshAccount(config.project, account.name).eastWestHost } : undefined,
      }),
    ];
  },

  clusterSignals: istioClusterSignals,

  // Injected pods get the unprivileged `istio-validation` init container (istio-cni does the
  // redirection), so the workload namespace enforces "baseline"; warn/audit at "restricted"
  // reports the rest (the injected proxy sets no seccomp profile).
  namespaceLabels: () => ({ 'istio-injection': 'enabled', ...podSecurityLabels({ enforce: 'baseline', warnAndAudit: 'restricted' }) }),

  workloadRouting: istioRouting,
};
