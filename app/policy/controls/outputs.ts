import type { Control, Finding } from '../control';

/** Attributes and resource types whose values are credentials. */
const SECRET_WORDS = new Set(['password', 'master_password', 'secret', 'secret_string', 'secret_binary', 'private_key', 'private_key_pem', 'token', 'auth_token', 'kube_config', 'kubeconfig', 'aws_iam_access_key', 'random_password', 'tls_private_key', 'aws_eks_cluster_auth', 'aws_secretsmanager_secret_version']);
const SECRET_NAME = /password|secret|token|private.?key|credential/i;

/** The identifiers inside every `${…}` of a value, e.g. `aws_iam_access_key`, `ci`, `secret`. */
function referencedWords(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  return [...text.matchAll(/\$\{([^}]*)\}/g)].flatMap((m) => m[1].split(/[^A-Za-z0-9_]+/));
}

export const outputNoSecrets: Control = {
  id: 'output-no-secrets',
  reason: 'Outputs are printed by every deploy and readable by every stack that reads the remote state.',
  fix: 'drop the output, or mark it sensitive and read it from the state only where it is needed',
  check: (input) =>
    input.stacks.flatMap((stack) =>
      Object.entries<any>(stack.json.output ?? {}).flatMap(([name, output]): Finding[] => {
        if (output.sensitive === true) return [];
        const word = referencedWords(output.value).find((w) => SECRET_WORDS.has(w));
        if (word) return [{ resource: `${stack.name}/${name}`, problem: `output is not sensitive but carries ${word}` }];
        return SECRET_NAME.test(name) ? [{ resource: `${stack.name}/${name}`, problem: 'output is named like a secret but is not sensitive' }] : [];
      }),
    ),
};

