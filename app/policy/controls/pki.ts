import type { Control, Finding } from '../control';
import { blocks } from '../model';

// A CA's private key must never pass through Terraform: whatever Terraform creates or reads is
// written to its state in plain text ("Sensitive Data in State",
// https://developer.hashicorp.com/terraform/language/state/sensitive-data), and anyone who can
// read the state could then mint any identity of the mesh. AWS Private CA keeps its keys in its
// own HSMs and has no API that exports them; cert-manager writes the intermediate's key into the
// cluster at run time, so Terraform never holds it.

/** Resource types whose state holds a private key, or that take one as input. */
const KEY_RESOURCES: Record<string, string> = {
  tls_private_key: 'generates a private key into the state',
  tls_self_signed_cert: 'signs with a private key held in the state',
  tls_locally_signed_cert: 'signs with a CA private key held in the state',
  tls_cert_request: 'signs a request with a private key held in the state',
};

/** Secret keys that hold private keys: Istio's plugged-in CA files and the kubernetes.io/tls key. */
const KEY_ENTRIES = /^(ca-key\.pem|root-key\.pem|key\.pem|tls\.key)$/;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export const noCaPrivateKey: Control = {
  id: 'no-ca-private-key',
  reason: 'Terraform writes every value it manages to its state in plain text; a CA key there lets whoever reads the state mint any mesh identity.',
  fix: 'issue certificates from AWS Private CA through cert-manager and aws-privateca-issuer, which write keys only inside the cluster; never generate, import or template a private key in Terraform',
  check(input) {
    const findings: Finding[] = [];
    for (const [type, why] of Object.entries(KEY_RESOURCES)) for (const r of input.resources(type)) findings.push({ resource: r.path, problem: `${type} ${why}` });
    for (const r of input.resources('aws_acm_certificate')) if (r.body.private_key !== undefined) findings.push({ resource: r.path, problem: 'imports a certificate with its private_key, which the state then holds' });
    for (const { resource, manifest } of input.kubeObjects('Secret')) {
      const entries = [...Object.keys(manifest.data ?? {}), ...Object.keys(manifest.stringData ?? {})].filter((k) => KEY_ENTRIES.test(k));
      if (entries.length) findings.push({ resource: resource.path, problem: `Secret ${manifest.metadata?.name} carries ${entries.join(', ')}` });
    }
    for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
      for (const r of input.resources(type)) {
        const entries = [...blocks(r.body.data), ...blocks(r.body.binary_data)].flatMap((d) => Object.keys(d ?? {})).filter((k) => KEY_ENTRIES.test(k));
        if (entries.length) findings.push({ resource: r.path, problem: `${type} carries ${entries.join(', ')}` });
      }
    }
    // A key pasted anywhere (a Helm value, a ConfigMap, a local) ends up in the state as well.
    const reported = new Set(findings.map((f) => f.resource));
    for (const stack of input.stacks) {
      for (const [type, byName] of Object.entries<any>(stack.json.resource ?? {})) {
        for (const [name, body] of Object.entries<any>(byName)) {
          const path = body?.['//']?.metadata?.path ?? `${stack.name}/${type}.${name}`;
          if (!reported.has(path) && PEM_PRIVATE_KEY.test(JSON.stringify(body))) findings.push({ resource: path, problem: 'holds a PEM private key' });
        }
      }
      for (const [name, output] of Object.entries<any>(stack.json.output ?? {})) {
        if (PEM_PRIVATE_KEY.test(JSON.stringify(output?.value ?? null))) findings.push({ resource: `${stack.name}/${name}`, problem: 'output holds a PEM private key' });
      }
    }
    return findings;
  },
};
