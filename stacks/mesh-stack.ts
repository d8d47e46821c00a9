import { regionsOf } from '../config/sites';
import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import type { ClusterStack } from './cluster-stack';
import { awsProviderFor } from './link/providers';
import { UpstreamOutputs, publishOutputs } from './link/stack-link';
import { engineFor } from '../engines/registry';
import { accountByName } from '../config/load';
import { meshContract, type MeshContract } from '../contracts/mesh';
import { CrossAccountObservability } from '../modules/cross-account-observability';

/**
 * The shared mesh in its owner account, shared to every member through RAM: what it is depends
 * on the engine (an App Mesh, or a VPC Lattice service network). It reads the network and the
 * clusters only if the engine asks, so its dependencies are exactly what it uses. Engine-neutral:
 * the owner account is also where every member's traces, metrics and logs are seen.
 */
export class SharedMeshStack extends ProjectStack<MeshContract> {
  readonly outputContract: MeshContract;

  constructor(scope: Construct, ctx: StackContext, upstream: { network: NetworkStack; clusters: Map<string, ClusterStack> }) {
    super(scope, 'mesh', ctx);
    const { config } = ctx;
    this.outputContract = meshContract(config, (c, owner) => engineFor(c).meshMocks(c, owner));
    const providers = new Map(config.accounts.map((a) => [a.name, awsProviderFor(this, a, ctx, a.name)]));
    let network: UpstreamOutputs<NetworkStack['outputContract']> | undefined;
    const clusters = new Map<string, UpstreamOutputs<ClusterStack['outputContract']>>();
    const values = engineFor(config).buildSharedMesh({
      scope: this,
      config,
      providers,
      network: () => (network ??= new UpstreamOutputs(this, upstream.network, ctx)),
      cluster: (account) => {
        if (!clusters.has(account)) clusters.set(account, new UpstreamOutputs(this, upstream.clusters.get(account)!, ctx));
        return clusters.get(account)!;
      },
    });
    // One place to follow a request across accounts, whatever the engine: every member shares its
    // traces, metrics and logs with the mesh owner's account. OAM is regional (a sink sees its own
    // region's data), so each region with sites gets a sink of the owner's, fed by that region's
    // member sites; the owner's home region keeps the construct id it always had.
    const owner = accountByName(config, config.mesh.owner);
    for (const region of regionsOf(config.accounts, owner.region)) {
      const members = config.accounts.filter((a) => a.region === region && a.id !== owner.id);
      if (members.length === 0) continue;
      const ownerHere = config.accounts.find((a) => a.id === owner.id && a.region === region);
      const monitoringProvider = ownerHere ? providers.get(ownerHere.name)! : awsProviderFor(this, { ...owner, name: `${owner.name}-${region}` }, ctx, `${owner.name}-${region}`, region);
      const observed = (a: { name: string; id: string }) => ({ name: a.name, accountId: a.id, provider: providers.get(a.name)! });
      new CrossAccountObservability(this, region === owner.region ? 'cross-account-observability' : `cross-account-observability-${region}`, {
        sinkName: `${config.project}-${config.mesh.name}`,
        monitoring: { name: owner.name, accountId: owner.id, provider: monitoringProvider },
        sources: members.map(observed),
        labelPrefix: config.project,
      });
    }
    publishOutputs(this, values);
  }
}
