import { findingsOf, type Control, type Finding } from '../control';
import { blocks } from '../model';

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

export const meshDenyByDefault: Control = {
  id: 'mesh-deny-by-default',
  reason: 'A mesh that lets traffic out to anything (App Mesh ALLOW_ALL) or in from anyone (Lattice auth NONE) gives up the mesh\'s access control.',
  fix: 'App Mesh: egress filter "DROP_ALL"; Lattice: auth_type "AWS_IAM" and an IAMAuthPolicy on every route',
  check(input) {
    const meshes = findingsOf(input.resources('aws_appmesh_mesh'), (mesh) => {
      const type = blocks(blocks(mesh.body.spec)[0]?.egress_filter)[0]?.type;
      return type === 'DROP_ALL' ? undefined : `egress filter is ${JSON.stringify(type ?? 'unset')}, not "DROP_ALL"`;
    });
    const meshObjects = input.kubeObjects('Mesh').flatMap(({ resource, manifest }): Finding[] => {
      const type = manifest.spec?.egressFilter?.type;
      return type === 'DROP_ALL' ? [] : [{ resource: resource.path, problem: `Mesh egressFilter is ${JSON.stringify(type ?? 'unset')}, not "DROP_ALL"` }];
    });
    const lattice = findingsOf([...input.resources('aws_vpclattice_service_network'), ...input.resources('aws_vpclattice_service')], (r) =>
      r.body.auth_type === 'AWS_IAM' ? undefined : `auth_type is ${JSON.stringify(r.body.auth_type ?? 'NONE')}, not "AWS_IAM"`,
    );
    const policies = input.kubeObjects('IAMAuthPolicy').map(({ manifest }) => `${manifest.metadata?.namespace}/${manifest.spec?.targetRef?.kind}/${manifest.spec?.targetRef?.name}`);
    const routes = input.kubeObjects(...ROUTE_KINDS).flatMap(({ resource, manifest }): Finding[] =>
      policies.includes(`${manifest.metadata?.namespace}/${manifest.kind}/${manifest.metadata?.name}`) ? [] : [{ resource: resource.path, problem: `${manifest.kind} has no IAMAuthPolicy, so its Lattice service accepts unsigned calls` }],
    );
    return [...meshes, ...meshObjects, ...lattice, ...routes];
  },
};

export const MESH_CONTROLS = [meshDenyByDefault];
