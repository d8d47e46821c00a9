// When each Kubernetes version leaves EKS standard support, which decides the control plane's
// hourly price. Dates (UTC) from the EKS user guide's release calendar
// (awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc, and
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): "Billing for
// extended support starts at the beginning of the day that the version reaches end of standard
// support, in the UTC+0 timezone." 1.35 is not yet in the copy of the guide read here; its dates
// are from https://endoflife.date/amazon-eks (read 2026-11-25), 14 and 26 months after release as
// the guide's lifecycle rule says.

export interface EksVersionLifecycle {
  endOfStandardSupport: string;
  endOfExtendedSupport: string;
}

export const EKS_LIFECYCLE: Readonly<Record<string, EksVersionLifecycle>> = {
  '1.32': { endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  '1.33': { endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  '1.34': { endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  '1.35': { endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
};

export type SupportTier = 'standard' | 'extended' | 'ended';

/** The support tier of `version` on `day` (YYYY-MM-DD); undefined for a version not in the table. */
export function supportTier(version: string, day: string): SupportTier | undefined {
  const lifecycle = EKS_LIFECYCLE[version];
  if (!lifecycle) return undefined;
  if (day < lifecycle.endOfStandardSupport) return 'standard';
  return day < lifecycle.endOfExtendedSupport ? 'extended' : 'ended';
}

/** The day `days` after `day`, both YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
