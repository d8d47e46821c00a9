import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { synthConfig, appMeshDemoWith, threeAccountConfig, SynthStack } from './support/synth';

describe('network stack (demo config)', () => {
  const app = synthConfig(appMeshDemoWith());
  const net = app.stack('network');

  test('one aliased AWS provider per account, each locked to its account and assuming its role', () => {
    const providers = net.providers();
    expect(providers.map((p) => p.alias).sort()).toEqual(['backend', 'frontend']);
    const frontend = providers.find((p) => p.alias === 'frontend');
    expect(frontend.allowed_account_ids).toEqual(['111111111111']);
    expect(frontend.assume_role[0].role_arn).toBe('arn:aws:iam::111111111111:role/cdktf-mesh-deployer');
    expect(frontend.region).toBe('us-west-2');
    expect(providers.find((p) => p.alias === 'backend').allowed_account_ids).toEqual(['222222222222']);
  });

  test('a VPC per account with the configured CIDR and DNS on', () => {
    const vpcs = net.resourceList('aws_vpc');
    expect(vpcs.map((v) => [SynthStack.alias(v.provider), v.cidr_block]).sort()).toEqual([
      ['backend', '10.193.0.0/16'],
      ['frontend', '10.192.0.0/16'],
    ]);
    vpcs.forEach((v) => expect(v).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true }));
  });

  test('public and private subnets per AZ, carved from the VPC, tagged for the LB controller', () => {
    const subnets = net.resourceList('aws_subnet').filter((s) => s.provider === 'aws.frontend');
    const priv = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
    const pub = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
    expect(priv.map((s) => s.cidr_block)).toEqual(['10.192.0.0/18', '10.192.64.0/18']);
    expect(pub.map((s) => s.cidr_block)).toEqual(['10.192.128.0/20', '10.192.144.0/20']);
    expect(priv.map((s) => s.availability_zone)).toEqual(['us-west-2a', 'us-west-2b']);
    subnets.forEach((s) => {
      expect(s.tags['kubernetes.io/cluster/meshdemo-frontend']).toBe('shared');
      expect(s.map_public_ip_on_launch).toBe(false);
    });
  });

  test('one NAT gateway per AZ by default, a single one when configured', () => {
    expect(net.resourceList('aws_nat_gateway').filter((n) => n.provider === 'aws.frontend')).toHaveLength(2);
    const single = synthConfig(appMeshDemoWith((c) => (c.accounts[0].vpc.natGateways = 'single'))).stack('network');
    expect(single.resourceList('aws_nat_gateway').filter((n) => n.provider === 'aws.frontend')).toHaveLength(1);
    expect(net.resourceList('aws_internet_gateway')).toHaveLength(2);
  });

  test('the default security group of every VPC is closed', () => {
    const defaults = net.resourceList('aws_default_security_group');
    expect(defaults).toHaveLength(2);
    defaults.forEach((sg) => expect(sg).toMatchObject({ ingress: [], egress: [] }));
  });

  test('flow logs of all traffic to a KMS-encrypted log group with retention', () => {
    const logs = net.resourceList('aws_flow_log');
    expect(logs).toHaveLength(2);
    logs.forEach((l) => expect(l).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' }));
    net.resourceList('aws_cloudwatch_log_group').forEach((g) => {
      expect(g.retention_in_days).toBe(90);
      expect(g.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    });
    net.resourceList('aws_kms_key').forEach((k) => expect(k.enable_key_rotation).toBe(true));
    const trust = JSON.parse(net.resourceList('aws_iam_role')[0].assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
  });

  test('the design in cdktf matchers: peering both ways, closed default groups, flow logs', () => {
    expect(net.synthString).toHaveResourceWithProperties(VpcPeeringConnection, { peer_owner_id: '222222222222', provider: 'aws.frontend' });
    expect(net.synthString).toHaveResourceWithProperties(VpcPeeringConnectionAccepterA, { auto_accept: true, provider: 'aws.backend' });
    expect(net.synthString).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
    expect(net.synthString).toHaveResourceWithProperties(FlowLog, { traffic_type: 'ALL' });
    expect(net.synthString).not.toHaveResourceWithProperties(VpcPeeringConnection, { auto_accept: true });
  });

  test('peering requested by the owner with peer_owner_id, accepted in the other account', () => {
    const request = net.only('aws_vpc_peering_connection');
    expect(request).toMatchObject({ provider: 'aws.frontend', peer_owner_id: '222222222222', auto_accept: false, peer_region: 'us-west-2' });
    const accept = net.only('aws_vpc_peering_connection_accepter');
    expect(accept).toMatchObject({ provider: 'aws.backend', auto_accept: true });
    expect(accept.vpc_peering_connection_id).toMatch(/aws_vpc_peering_connection\..*\.id/);
  });

  test('DNS resolution across the peering is allowed on both sides, each by its own account', () => {
    const options = net.resourceList('aws_vpc_peering_connection_options');
    expect(options.find((o) => o.provider === 'aws.frontend').requester.allow_remote_vpc_dns_resolution).toBe(true);
    expect(options.find((o) => o.provider === 'aws.backend').accepter.allow_remote_vpc_dns_resolution).toBe(true);
  });

  test('every private route table on both sides routes the peer CIDR through the peering', () => {
    const peerRoutes = net.resourceList('aws_route').filter((r) => r.vpc_peering_connection_id);
    const frontend = peerRoutes.filter((r) => r.provider === 'aws.frontend');
    const backend = peerRoutes.filter((r) => r.provider === 'aws.backend');
    expect(frontend).toHaveLength(2);
    expect(backend).toHaveLength(2);
    frontend.forEach((r) => expect(r.destination_cidr_block).toBe('10.193.0.0/16'));
    backend.forEach((r) => expect(r.destination_cidr_block).toBe('10.192.0.0/16'));
    const privateTables = Object.keys(net.resources('aws_route_table')).filter((k) => k.includes('private'));
    const routed = new Set(peerRoutes.map((r) => r.route_table_id.match(/aws_route_table\.([^.]+)\.id/)[1]));
    expect([...routed].sort()).toEqual(privateTables.sort());
  });

  test('peer traffic is admitted only from the peer CIDR and only on called service ports', () => {
    const rules = net.resourceList('aws_vpc_security_group_ingress_rule');
    // yelb-ui (frontend) calls yelb-appserver (backend, 4567); nothing calls into frontend.
    expect(rules).toEqual([expect.objectContaining({ provider: 'aws.backend', cidr_ipv4: '10.192.0.0/16', ip_protocol: 'tcp', from_port: 4567, to_port: 4567 })]);
    expect(JSON.stringify(net.json)).not.toContain('"ip_protocol":"-1"');
  });

  test('interface endpoints keep AWS API traffic private', () => {
    const endpoints = net.resourceList('aws_vpc_endpoint').filter((e) => e.provider === 'aws.frontend');
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'eks-auth', 'logs', 's3', 'sts'].map((s) => `com.amazonaws.us-west-2.${s}`),
    );
    endpoints.filter((e) => e.vpc_endpoint_type === 'Interface').forEach((e) => expect(e.private_dns_enabled).toBe(true));
  });

  test('outputs are maps keyed by account, and none is sensitive data', () => {
    expect(Object.keys(net.outputs()).sort()).toEqual(['mesh_peer_security_group_ids', 'peering_connection_ids', 'private_subnet_ids', 'public_subnet_ids', 'vpc_cidrs', 'vpc_ids']);
    expect(Object.keys(net.outputs().vpc_ids.value).sort()).toEqual(['backend', 'frontend']);
  });
});

describe('network stack with three accounts', () => {
  const app = synthConfig(threeAccountConfig());
  const net = app.stack('network');

  test('peers every member with the owner and every caller with its callee, nothing more', () => {
    const pairs = net.resourceList('aws_vpc_peering_connection').map((p) => `${SynthStack.alias(p.provider)}->${p.peer_owner_id}`);
    expect(pairs.sort()).toEqual(['backend->333333333333', 'frontend->222222222222', 'frontend->333333333333']);
    expect(net.resourceList('aws_vpc_peering_connection_accepter').map((a) => SynthStack.alias(a.provider)).sort()).toEqual(['backend', 'data', 'data']);
  });

  test('the third account gets its three AZs and opens only the db port to its caller', () => {
    const dataSubnets = net.resourceList('aws_subnet').filter((s) => s.provider === 'aws.data');
    expect(dataSubnets).toHaveLength(6);
    const rules = net.resourceList('aws_vpc_security_group_ingress_rule').filter((r) => r.provider === 'aws.data');
    expect(rules).toEqual([expect.objectContaining({ cidr_ipv4: '10.193.0.0/16', from_port: 5432 })]);
  });
});
