import { synthConfig, appMeshDemoWith, threeAccountConfig, SynthStack } from './support/synth';

describe('mesh stack (App Mesh shared through RAM)', () => {
  const app = synthConfig(appMeshDemoWith());
  const mesh = app.stack('mesh');

  test('the mesh lives in the owner account with egress DROP_ALL', () => {
    expect(mesh.only('aws_appmesh_mesh')).toMatchObject({ provider: 'aws.frontend', name: 'yelb', spec: { egress_filter: { type: 'DROP_ALL' } } });
  });

  test('a RAM share of the mesh from the owner, open to external principals by default', () => {
    expect(mesh.only('aws_ram_resource_share')).toMatchObject({ provider: 'aws.frontend', allow_external_principals: true });
    expect(mesh.only('aws_ram_resource_association').resource_arn).toMatch(/aws_appmesh_mesh\..*\.arn/);
  });

  test('a principal per member and the accepter in the member account, waiting for the invitation', () => {
    expect(mesh.only('aws_ram_principal_association')).toMatchObject({ provider: 'aws.frontend', principal: '222222222222' });
    const accepter = mesh.only('aws_ram_resource_share_accepter');
    expect(accepter.provider).toBe('aws.backend');
    expect(accepter.share_arn).toMatch(/aws_ram_principal_association\..*\.resource_share_arn/);
  });

  test('the App Mesh service-linked role in every member, unless the account already has it', () => {
    expect(mesh.only('aws_iam_service_linked_role')).toMatchObject({ provider: 'aws.backend', aws_service_name: 'appmesh.amazonaws.com' });
    const existing = synthConfig(appMeshDemoWith((c) => (c.accounts[1].appMeshServiceLinkedRole = 'exists'))).stack('mesh');
    expect(existing.resourceList('aws_iam_service_linked_role')).toHaveLength(0);
  });

  test('in one organization there is no accepter and no external principals', () => {
    const org = synthConfig(appMeshDemoWith((c) => (c.mesh.sameOrganization = true))).stack('mesh');
    expect(org.resourceList('aws_ram_resource_share_accepter')).toHaveLength(0);
    expect(org.only('aws_ram_resource_share').allow_external_principals).toBe(false);
  });

  test('DNS discovery by default: no Cloud Map namespace and no dependency on the network', () => {
    expect(mesh.resourceList('aws_service_discovery_private_dns_namespace')).toHaveLength(0);
    expect(app.manifest.stacks.mesh.dependencies).toEqual([]);
  });

  test('a Cloud Map namespace in the account of each service that asks for it, in its VPC', () => {
    const cm = synthConfig(appMeshDemoWith((c) => (c.catalog = [
      { name: 'ui', account: 'frontend', port: 80, protocol: 'http', backends: ['api'], exposure: 'public' },
      { name: 'api', account: 'backend', port: 4567, protocol: 'http', discovery: 'cloudmap' },
    ])));
    const ns = cm.stack('mesh').only('aws_service_discovery_private_dns_namespace');
    expect(ns).toMatchObject({ provider: 'aws.backend', name: 'backend.yelb.local' });
    expect(ns.vpc).toContain('upstream-network');
    expect(cm.manifest.stacks.mesh.dependencies).toEqual(['network']);
  });

  test('outputs name, ARN, owner and share', () => {
    const outputs = mesh.outputs();
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['mesh_name', 'mesh_arn', 'mesh_owner_account_id', 'resource_share_arn']));
    expect(outputs.mesh_owner_account_id.value).toBe('111111111111');
  });

  test('with three accounts every member gets a principal, an accepter and the role', () => {
    const three = synthConfig(threeAccountConfig()).stack('mesh');
    expect(three.resourceList('aws_ram_principal_association').map((p) => p.principal).sort()).toEqual(['222222222222', '333333333333']);
    expect(three.resourceList('aws_ram_resource_share_accepter').map((a) => SynthStack.alias(a.provider)).sort()).toEqual(['backend', 'data']);
    expect(three.resourceList('aws_iam_service_linked_role')).toHaveLength(2);
  });
});
