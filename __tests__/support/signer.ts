import * as YAML from 'yaml';
import type { SynthResult } from './synth';

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
 * The host a synthesized bootstrap sends to: the backend's custom domain, known at synth, so the
 * bootstrap carries it literally (no Terraform reference is left to resolve).
 */
export function deployedDomain(_app: SynthResult, value: string): string {
  if (!/^[a-z0-9.-]+\.lattice\.internal$/.test(value)) throw new Error(`not a Lattice custom domain: ${value}`);
  return value;
}
