import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { synthConfig, demoWith, appMeshDemoWith, threeAccountConfig } from './support/synth';
import { CrossAccountObservability, SHARED_RESOURCE_TYPES } from '../modules/cross-account-observability';

// CloudWatch cross-account observability in the mesh stack: one sink in the mesh owner's
// account, a link from every member for traces, metrics and logs, and a sink policy that admits
// exactly the mesh's member accounts.

describe.each([
  ['Lattice', demoWith()],
  ['App Mesh', appMeshDemoWith()],
])('the mesh stack on %s', (_engine, config) => {
  const mesh = synthConfig(config).stack('mesh');

  test('a sink in the owner account, linked from the member account for traces, metrics and logs', () => {
    const sink = mesh.only('aws_oam_sink');
    expect(sink).toMatchObject({ provider: 'aws.frontend', name: 'meshdemo-yelb' });
    const link = mesh.only('aws_oam_link');
    expect(link).toMatchObject({ provider: 'aws.backend', label_template: 'meshdemo-backend' });
    expect(link.resource_types).toEqual(['AWS::XRay::Trace', 'AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup']);
    const [sinkId] = Object.keys(mesh.resources('aws_oam_sink'));
    expect(link.sink_identifier).toBe(`\${aws_oam_sink.${sinkId}.arn}`);
    // The sink refuses a link until its policy admits the account.
    const [policyId] = Object.keys(mesh.resources('aws_oam_sink_policy'));
    expect(link.depends_on).toEqual([`aws_oam_sink_policy.${policyId}`]);
  });

  test('the sink policy admits only the member accounts, only to link, only for the shared types', () => {
    const policy = mesh.only('aws_oam_sink_policy');
    expect(policy.provider).toBe('aws.frontend');
    const [statement, ...others] = JSON.parse(policy.policy).Statement;
    expect(others).toEqual([]);
    expect(statement).toEqual({
      Effect: 'Allow',
      Principal: { AWS: ['222222222222'] },
      Action: ['oam:CreateLink', 'oam:UpdateLink'],
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...SHARED_RESOURCE_TYPES] } },
    });
  });
});

describe('more accounts, fewer accounts', () => {
  test('with three accounts every member links, and the policy names both members and not the owner', () => {
    const mesh = synthConfig(threeAccountConfig()).stack('mesh');
    expect(mesh.resourceList('aws_oam_link').map((l) => [l.provider, l.label_template]).sort()).toEqual([
      ['aws.backend', 'meshdemo-backend'],
      ['aws.data', 'meshdemo-data'],
    ]);
    expect(JSON.parse(mesh.only('aws_oam_sink_policy').policy).Statement[0].Principal.AWS).toEqual(['222222222222', '333333333333']);
  });

  test('the construct refuses no sources, and an account that is both sink and source', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const provider = new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    const account = (name: string, accountId: string) => ({ name, accountId, provider });
    expect(() => new CrossAccountObservability(stack, 'none', { sinkName: 's', monitoring: account('a', '111111111111'), sources: [], labelPrefix: 'p' })).toThrow(/needs at least one source account besides a/);
    expect(() => new CrossAccountObservability(stack, 'self', { sinkName: 's', monitoring: account('a', '111111111111'), sources: [account('b', '111111111111')], labelPrefix: 'p' })).toThrow(
      /account 111111111111 cannot be both the monitoring account and a source/,
    );
  });
});
