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
    // kubernetes-models lays its modules out by API group/version: 'v1', 'apps/v1', 'policy/v1', ...
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}
