import { IPv4CidrRange, IPv4Prefix, Validator } from 'ip-num';

// CIDR math goes through ip-num (typed, maintained, no native code); nothing here does bit
// arithmetic by hand.

/** null when `value` is a canonical IPv4 CIDR, else the reason in words. */
export function cidrProblem(value: string): string | null {
  const [isNotation] = Validator.isValidIPv4CidrNotation(value);
  if (!isNotation) return 'is not IPv4 CIDR notation (a.b.c.d/n)';
  const [isAligned] = Validator.isValidIPv4CidrRange(value);
  if (!isAligned) {
    const canonical = IPv4CidrRange.fromCidr(value.replace(/\/.*/, '/32')).toCidrString();
    return `has host bits set (${canonical.replace('/32', '')} is not the start of a /${value.split('/')[1]})`;
  }
  return null;
}

export function overlaps(a: string, b: string): boolean {
  return IPv4CidrRange.fromCidr(a).isOverlapping(IPv4CidrRange.fromCidr(b));
}

export function prefixLength(value: string): number {
  return Number(IPv4CidrRange.fromCidr(value).cidrPrefix.getValue());
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => IPv4CidrRange.fromCidr(c));

export function isPrivateRange(value: string): boolean {
  const range = IPv4CidrRange.fromCidr(value);
  return PRIVATE_RANGES.some((p) => range.inside(p) || range.isEquals(p));
}

export interface SubnetPlan {
  private: string[];
  public: string[];
}

/** Bits needed to give each AZ its own block. */
function azBits(azCount: number): number {
  return Math.ceil(Math.log2(Math.max(azCount, 1)));
}

/** The prefix length of the public subnets: the smallest of the two kinds, so the limit. */
export function publicSubnetPrefix(vpcCidr: string, azCount: number): number {
  return prefixLength(vpcCidr) + 1 + azBits(azCount) + 2;
}

/**
 * Private subnets take the lower half of the VPC, one equal block per AZ, because pods get
 * VPC addresses (VPC CNI) and need the room. Public subnets only hold load balancers and NAT
 * gateways, so they get blocks a quarter that size from the upper half.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const [lower, upper] = IPv4CidrRange.fromCidr(vpcCidr).split();
  const privatePrefix = prefixLength(vpcCidr) + 1 + azBits(azCount);
  const split = (range: IPv4CidrRange, prefix: number) =>
    (prefix === prefixLength(range.toCidrString()) ? [range] : range.splitInto(IPv4Prefix.fromNumber(BigInt(prefix))))
      .slice(0, azCount)
      .map((r) => r.toCidrString());
  return {
    private: split(lower, privatePrefix),
    public: split(upper, publicSubnetPrefix(vpcCidr, azCount)),
  };
}
