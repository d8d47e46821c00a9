// Facts about AWS that the config is checked against. They are data, kept here so that a
// synth never has to ask AWS (no credentials, no network) and so a review shows what changed.

/**
 * Availability zones per region, by name. A static list instead of the `aws_availability_zones`
 * data source: that data source needs credentials, which the offline plan does not have, and a
 * fixed list keeps subnet placement stable across runs. Zones that are constrained for new
 * customers (use1-az3) or Local/Wavelength zones are left out on purpose.
 */
export const REGION_AZS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f'],
  'us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'],
  'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  'eu-central-1': ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  'ap-southeast-1': ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
};

/**
 * Kubernetes versions Amazon EKS offers for new clusters, read 2026-11-24 from the EKS version
 * lifecycle page: 1.35 (released 2026-01-28) and 1.34 are in standard support, 1.33 and 1.32 in
 * extended support. 1.31 leaves extended support on 2026-11-26 and is left out; a newer version
 * goes in together with its add-on pins in ./versions.ts.
 */
export const EKS_VERSIONS = ['1.32', '1.33', '1.34', '1.35'] as const;
export type EksVersion = (typeof EKS_VERSIONS)[number];

/** The version the demo config pins: the newest in standard support. */
export const DEFAULT_EKS_VERSION: EksVersion = '1.35';
