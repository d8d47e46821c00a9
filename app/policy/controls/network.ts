import { findingsOf, type Control, type Finding } from '../control';
import { blocks, openCidrs, type PolicyInput } from '../model';

/** The only ports the internet may reach: the public ALB's HTTP and HTTPS listeners. */
const PUBLIC_LISTENER_PORTS = [80, 443];

export const vpcFlowLogs: Control = {
  id: 'vpc-flow-logs',
  reason: 'Flow logs are the only record of which addresses talked to what across the VPC and the peering.',
  fix: 'add an aws_flow_log for the VPC in the same stack (the network stack makes one per VPC)',
  check: (input) =>
    findingsOf(input.resources('aws_vpc'), (vpc) => (input.referencing('aws_flow_log', vpc, 'vpc_id').length ? undefined : 'has no flow log')),
};

export const defaultSecurityGroupClosed: Control = {
  id: 'default-security-group-closed',
  reason: 'Anything launched without a security group lands in the default one; with no rules it reaches nothing and nothing reaches it.',
  fix: 'manage the VPC\'s aws_default_security_group with no ingress and no egress blocks (Terraform then removes its rules)',
  check: (input) =>
    findingsOf(input.resources('aws_vpc'), (vpc) => {
      const managed = input.referencing('aws_default_security_group', vpc, 'vpc_id');
      if (managed.length === 0) return 'its default security group is not managed, so AWS\'s allow-all-from-itself rules stay';
      const open = managed.filter((sg) => blocks(sg.body.ingress).length || blocks(sg.body.egress).length);
      return open.length ? 'its default security group has rules' : undefined;
    }),
};

const portsOf = (rule: Record<string, any>) => `ports ${rule.from_port ?? '?'}-${rule.to_port ?? '?'}`;

function openSecurityGroupRules(input: PolicyInput): Finding[] {
  const inline = findingsOf(input.resources('aws_security_group'), (sg) => {
    const open = blocks(sg.body.ingress).filter((rule) => openCidrs(rule.cidr_blocks, rule.ipv6_cidr_blocks).length);
    return open.length ? `ingress ${open.map(portsOf).join(', ')} is open to the internet` : undefined;
  });
  const standalone = findingsOf(input.resources('aws_vpc_security_group_ingress_rule'), (rule) =>
    openCidrs(rule.body.cidr_ipv4, rule.body.cidr_ipv6).length ? `${portsOf(rule.body)} are open to the internet` : undefined,
  );
  const legacy = findingsOf(input.resources('aws_security_group_rule'), (rule) =>
    rule.body.type === 'ingress' && openCidrs(rule.body.cidr_blocks, rule.body.ipv6_cidr_blocks).length
      ? `${portsOf(rule.body)} are open to the internet`
      : undefined,
  );
  return [...inline, ...standalone, ...legacy];
}

/** The listener ports of an ALB Ingress; the controller's default without the annotation is HTTP 80. */
function listenerPorts(annotations: Record<string, string>): number[] {
  const raw = annotations['alb.ingress.kubernetes.io/listen-ports'];
  if (!raw) return [80];
  try {
    return (JSON.parse(raw) as Record<string, number>[]).flatMap((entry) => Object.values(entry).map(Number));
  } catch {
    return [NaN];
  }
}

/** Load balancers the AWS Load Balancer Controller will make from Kubernetes objects. */
function publicLoadBalancers(input: PolicyInput): Finding[] {
  const ingresses = input.kubeObjects('Ingress').flatMap(({ resource, manifest }) => {
    const annotations = manifest.metadata?.annotations ?? {};
    if (annotations['alb.ingress.kubernetes.io/scheme'] !== 'internet-facing') return [];
    // Without inbound-cidrs the controller opens the listeners to 0.0.0.0/0.
    const cidrs = (annotations['alb.ingress.kubernetes.io/inbound-cidrs'] ?? '0.0.0.0/0').split(',').map((c: string) => c.trim());
    if (!openCidrs(cidrs).length) return [];
    const extra = listenerPorts(annotations).filter((p) => !PUBLIC_LISTENER_PORTS.includes(p));
    return extra.length ? [{ resource: resource.path, problem: `public ALB listens on ${extra.join(', ')} besides ${PUBLIC_LISTENER_PORTS.join('/')}` }] : [];
  });
  const services = input.kubeObjects('Service').flatMap(({ resource, manifest }) =>
    manifest.spec?.type === 'LoadBalancer' && manifest.metadata?.annotations?.['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internet-facing'
      ? [{ resource: resource.path, problem: 'is an internet-facing network load balancer; only the ALB Ingress may be public' }]
      : [],
  );
  return [...ingresses, ...services];
}

export const noPublicIngress: Control = {
  id: 'no-public-ingress',
  reason: 'Only the public ALB\'s listener ports belong on the internet; everything else is reached from the VPCs and the peer CIDRs.',
  fix: 'open the rule to the peer or VPC CIDR instead of 0.0.0.0/0; for the public ALB, listen only on 80/443',
  check: (input) => [...openSecurityGroupRules(input), ...publicLoadBalancers(input)],
};

export const NETWORK_CONTROLS = [vpcFlowLogs, defaultSecurityGroupClosed, noPublicIngress];
