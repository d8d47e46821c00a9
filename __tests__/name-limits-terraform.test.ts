import * as fs from 'fs';
import * as path from 'path';
import { offlineEnv, providerMirror, terraform, writeCliConfig } from '../scripts/plan/terraform';
import { LIMITS, type LimitId } from '../modules/limits/table';
import { AMI_TYPES } from '../config/instance-families';
import { scratchDir } from './support/synth';

// The limits in modules/limits/table.ts that the AWS provider itself enforces, proven against the real
// provider (hashicorp/aws 5.100.0 from the offline mirror): `terraform validate` accepts a name
// exactly at the table's limit and rejects one a character longer, so the table and what deploys
// cannot drift apart unnoticed. The AMI types the node groups get are values the provider accepts.

const ROLE = 'arn:aws:iam::111111111111:role/x';
const BODY: Record<string, { limit: LimitId; attribute: string; rest: Record<string, unknown> }> = {
  aws_iam_role: { limit: 'iam-role', attribute: 'name', rest: { assume_role_policy: '{}' } },
  aws_iam_role_policy: { limit: 'iam-inline-policy', attribute: 'name', rest: { role: 'r', policy: '{}' } },
  aws_eks_cluster: { limit: 'eks-cluster', attribute: 'name', rest: { role_arn: ROLE, vpc_config: { subnet_ids: ['subnet-1'] } } },
  aws_eks_node_group: { limit: 'eks-node-group', attribute: 'node_group_name', rest: { cluster_name: 'c', node_role_arn: ROLE, subnet_ids: ['subnet-1'], scaling_config: { min_size: 1, max_size: 1, desired_size: 1 } } },
  aws_security_group: { limit: 'security-group', attribute: 'name', rest: {} },
  aws_launch_template: { limit: 'launch-template', attribute: 'name', rest: {} },
  aws_cloudwatch_log_group: { limit: 'log-group', attribute: 'name', rest: {} },
  aws_s3_bucket: { limit: 's3-bucket', attribute: 'bucket', rest: {} },
  aws_vpclattice_service_network: { limit: 'lattice-service-network', attribute: 'name', rest: {} },
  aws_appmesh_mesh: { limit: 'appmesh', attribute: 'name', rest: {} },
  aws_cloudwatch_dashboard: { limit: 'cloudwatch-dashboard', attribute: 'dashboard_name', rest: { dashboard_body: '{}' } },
  aws_cloudwatch_metric_alarm: { limit: 'cloudwatch-alarm', attribute: 'alarm_name', rest: { comparison_operator: 'GreaterThanThreshold', evaluation_periods: 1 } },
};

describe('the table against the AWS provider, by terraform validate', () => {
  const dir = scratchDir('name-limits-tf-');
  let errors: string[] = [];

  beforeAll(async () => {
    const cliConfig = path.join(dir, 'cli.tfrc');
    writeCliConfig(cliConfig, providerMirror());
    const resource: Record<string, Record<string, object>> = {};
    for (const [type, { limit, attribute, rest }] of Object.entries(BODY)) {
      const max = LIMITS[limit].max!;
      resource[type] = { at_limit: { ...rest, [attribute]: 'a'.repeat(max) }, past_limit: { ...rest, [attribute]: 'a'.repeat(max + 1) } };
    }
    // Node groups with each AMI type the project derives, and one the provider must refuse.
    const group = BODY.aws_eks_node_group.rest;
    for (const [arch, ami] of Object.entries(AMI_TYPES)) resource.aws_eks_node_group[`ami_${arch}`] = { ...group, node_group_name: arch, ami_type: ami };
    resource.aws_eks_node_group.ami_bogus = { ...group, node_group_name: 'bogus', ami_type: 'AL2023_ARM64' };
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } }, provider: { aws: { region: 'us-west-2' } }, resource }),
    );
    const env = offlineEnv(cliConfig);
    const init = await terraform(['init', '-input=false', '-no-color'], dir, env);
    expect(init.code).toBe(0);
    const validate = await terraform(['validate', '-json', '-no-color'], dir, env);
    errors = JSON.parse(validate.stdout).diagnostics.filter((d: any) => d.severity === 'error').map((d: any) => d.address).sort();
  }, 120000);

  test('exactly the names one past the table\'s limit are rejected, and the bogus AMI type', () => {
    expect(errors).toEqual([...Object.keys(BODY).map((type) => `${type}.past_limit`), 'aws_eks_node_group.ami_bogus'].sort());
  });
});
