import type { SynthResult } from './synth';

/** Every Kubernetes object any stack of the app emits, with the stack that emits it. */
export function kubeObjects(app: SynthResult): Array<{ stack: string; id: string; object: any }> {
  return app.stackNames.flatMap((stack) =>
    Object.entries(app.stack(stack).resources('kubernetes_manifest')).map(([id, r]) => ({ stack, id, object: r.manifest })),
  );
}

/** The kubernetes-models class for a built-in kind, or undefined for a custom resource. */
export function modelFor(apiVersion: string, kind: string): (new (data: any) => { validate(): void }) | undefined {
  try {
    // Both packages lay their modules out by API group/version: 'v1', 'apps/v1', 'gateway.networking.k8s.io/v1', ...
    if (apiVersion.startsWith('gateway.networking.k8s.io/')) return require(`@kubernetes-models/gateway-api/${apiVersion}`)[kind];
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}
