import * as fs from 'fs';
import * as path from 'path';
import { scratchDir } from './synth';

/**
 * A valid config as a user writes it in YAML: ids and versions quoted, a two-service catalog
 * (web in frontend calls api in backend). Cases edit the text, because YAML's traps (unquoted
 * numbers) exist only in the text, never in a JavaScript object.
 */
export const BASE_YAML = `project: meshdemo
region: us-west-2
accounts:
  - name: frontend
    id: "111111111111"
    roleArn: arn:aws:iam::111111111111:role/cdktf-mesh-deployer
    vpc: { cidr: 10.192.0.0/16, azCount: 2 }
    cluster: { version: "1.35", instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4, publicAccessCidrs: [203.0.113.0/24] }
  - name: backend
    id: "222222222222"
    roleArn: arn:aws:iam::222222222222:role/cdktf-mesh-deployer
    vpc: { cidr: 10.193.0.0/16, azCount: 2 }
    cluster: { version: "1.35", instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }
mesh: { owner: frontend, name: yelb }
tags: { Project: eks-multi-account-mesh }
catalog:
  - name: web
    account: frontend
    image: ghcr.io/acme/web:1.4.0
    port: 8080
    protocol: http
    exposure: public
    healthCheck: { type: http, path: /healthz }
    backends: [api]
  - name: api
    account: backend
    image: ghcr.io/acme/api:2.0.1
    port: 9000
    protocol: http
    healthCheck: { type: http, path: /healthz }
`;

/** BASE_YAML with each [from, to] replaced once; fails loudly when `from` is not in the text. */
export function yamlWith(...edits: Array<[string | RegExp, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`yamlWith: ${String(from)} is not in the base config`);
    return text.replace(from, to);
  }, BASE_YAML);
}

/** The accounts of BASE_YAML renamed, for placing the shipped catalogs on other names. */
export function renamedAccounts(text: string, names: Record<string, string>): string {
  return Object.entries(names).reduce((t, [from, to]) => t.replace(new RegExp(`\\b${from}\\b`, 'g'), to), text);
}

/** Writes a config file to a scratch folder and returns its path. */
export function writeConfig(text: string, name = 'mesh.yaml'): string {
  const file = path.join(scratchDir('mesh-yaml-'), name);
  fs.writeFileSync(file, text);
  return file;
}
