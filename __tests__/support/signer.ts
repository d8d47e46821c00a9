import * as YAML from 'yaml';
import type { SynthResult } from './synth';
import { latticeEngine } from '../../modules/engines/lattice';

/** A Lattice caller pod as synthesized: its Deployment's pod spec and its signer's Envoy bootstrap. */
export interface SignerPod {
  stack: string;
  deployment: string;
  pod: any;
  envoy: any;
}

const objects = (app: SynthResult, stack: string): any[] => app.stack(stack).resourceList('kubernetes_manifest').map((r) => r.manifest).filter((m) => m?.kind);

/** Every Deployment that carries the signer, with the bootstrap from the ConfigMap its signer mounts. */
export function signerPods(app: SynthResult): SignerPod[] {
  return app.stackNames
    .filter((s) => s.startsWith('workloads-'))
    .flatMap((stack) => {
      const all = objects(app, stack);
      return all
        .filter((o) => o.kind === 'Deployment' && (o.spec.template.spec.initContainers ?? []).some((c: any) => c.name === 'lattice-signer'))
        .map((d) => {
          const pod = d.spec.template.spec;
          const signer = pod.initContainers.find((c: any) => c.name === 'lattice-signer');
          const volume = pod.volumes.find((v: any) => v.name === signer.volumeMounts[0].name);
          const configMap = all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name);
          return { stack, deployment: d.metadata.name, pod, envoy: YAML.parse(configMap.data['envoy.yaml']) };
        });
    });
}

/** The HTTP connection manager of an Envoy listener. */
export const hcmOf = (listener: any) => listener.filter_chains[0].filters.find((f: any) => f.name === 'envoy.filters.network.http_connection_manager').typed_config;

/** The SigV4 filter's config of a listener, if it has one. */
export const signingOf = (listener: any) => hcmOf(listener).http_filters.find((f: any) => f.name === 'envoy.filters.http.aws_request_signing')?.typed_config;

/**
 * What Terraform puts where the synthesized bootstrap names a domain: a backend in another account
 * is read from its stack's output, whose offline-plan mock is a domain of the shape Lattice assigns.
 */
export function deployedDomain(app: SynthResult, value: string): string {
  const ref = /^\$\{data\.terraform_remote_state\.upstream-workloads-([a-z0-9-]+)\.outputs\.lattice_service_domains\["([a-z0-9-]+)"\]\}$/.exec(value);
  if (!ref) throw new Error(`not a cross-account Lattice domain reference: ${value}`);
  return latticeEngine.endpointOutput(app.config, ref[1]).mock[ref[2]];
}
