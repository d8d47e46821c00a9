import { Construct } from 'constructs';
import { AcmpcaCertificateAuthority } from '@cdktf/provider-aws/lib/acmpca-certificate-authority';
import { AcmpcaCertificate } from '@cdktf/provider-aws/lib/acmpca-certificate';
import { AcmpcaCertificateAuthorityCertificate } from '@cdktf/provider-aws/lib/acmpca-certificate-authority-certificate';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CrossAccountShare, type ShareMember } from '../../modules/ram-share';
import { templateArn } from './intermediate-ca';

// The mesh's one root of trust: an AWS Private CA root in the owner account, shared through RAM
// so each member's cluster can have its own intermediate issued (./intermediate-ca.ts). The
// root's private key is generated inside Private CA and never leaves it
// (https://docs.aws.amazon.com/privateca/latest/userguide/PcaWelcome.html); Terraform holds only
// the CA's ARN, its CSR and its public certificate.

/** Self-signed root template (https://docs.aws.amazon.com/privateca/latest/userguide/template-definitions.html). */
export const ROOT_TEMPLATE = 'RootCACertificate/V1';

/**
 * The AWS managed RAM permission that lets a member issue PathLen0 subordinate CA certificates
 * from a shared CA, which is exactly what each cluster's issuer asks for. The resource type's
 * default permission (AWSRAMDefaultPermissionCertificateAuthority) allows end-entity certificates
 * only. Both names: cert-manager/aws-privateca-issuer v1.9.0 e2e/awspcaissuer_test.go (its
 * cross-account test shares one CA with each).
 */
export const SUBORDINATE_CA_PERMISSION = (partition = 'aws') => `arn:${partition}:ram::aws:permission/AWSRAMSubordinateCACertificatePathLen0IssuanceCertificateAuthority`;

/** Ten years: the root outlives many intermediate rotations (30 days each, ./intermediate-ca.ts); rotating it is a planned multi-root change (README). */
export const ROOT_VALIDITY_YEARS = 10;

export interface SharedMeshCaProps {
  project: string;
  meshName: string;
  owner: { provider: AwsProvider };
  members: ShareMember[];
  sameOrganization: boolean;
}

export class SharedMeshCa extends Construct {
  readonly ca: AcmpcaCertificateAuthority;
  /** The root's self-signed certificate (public). */
  readonly rootCertificate: AcmpcaCertificate;
  readonly installed: AcmpcaCertificateAuthorityCertificate;
  readonly share: CrossAccountShare;

  constructor(scope: Construct, id: string, props: SharedMeshCaProps) {
    super(scope, id);
    const provider = props.owner.provider;
    this.ca = new AcmpcaCertificateAuthority(this, 'root', {
      provider,
      type: 'ROOT',
      // General-purpose, not short-lived: a short-lived-mode CA "must be the last CA in the
      // certificate hierarchy" (https://docs.aws.amazon.com/privateca/latest/userguide/short-lived-certificates.html),
      // and this root issues CA certificates (one intermediate per cluster per rotation).
      usageMode: 'GENERAL_PURPOSE',
      certificateAuthorityConfiguration: {
        // ECDSA P-256, like the intermediates cert-manager generates; istiod signs with those.
        keyAlgorithm: 'EC_prime256v1',
        signingAlgorithm: 'SHA256WITHECDSA',
        subject: { commonName: `${props.project} ${props.meshName} mesh root`, organization: props.project },
      },
      // No CRL and no OCSP: Istio's proxies check neither by default, the only certificates this
      // root signs are 30-day intermediates renewed by cert-manager, and a CRL would need an S3
      // bucket readable by every verifier. KMS: nothing to encrypt here; the key lives in Private
      // CA's HSMs (key storage FIPS 140-2 level 3, the default in commercial regions, stated so it
      // cannot silently drop).
      revocationConfiguration: { crlConfiguration: { enabled: false }, ocspConfiguration: { enabled: false } },
      keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      // A deleted CA can be restored within this window (Private CA's maximum, 30 days): a mistaken
      // destroy of the root would otherwise orphan every cluster's intermediate. A deleted CA is
      // not billed unless it is restored (https://aws.amazon.com/private-ca/pricing/).
      permanentDeletionTimeInDays: 30,
      tags: { Name: `${props.project}-${props.meshName}-mesh-root` },
    });
    this.rootCertificate = new AcmpcaCertificate(this, 'root-certificate', {
      provider,
      certificateAuthorityArn: this.ca.arn,
      certificateSigningRequest: this.ca.certificateSigningRequest,
      signingAlgorithm: 'SHA256WITHECDSA',
      templateArn: templateArn(ROOT_TEMPLATE),
      validity: { type: 'YEARS', value: String(ROOT_VALIDITY_YEARS) },
    });
    this.installed = new AcmpcaCertificateAuthorityCertificate(this, 'root-installed', {
      provider,
      certificateAuthorityArn: this.ca.arn,
      certificate: this.rootCertificate.certificate,
      certificateChain: this.rootCertificate.certificateChain,
    });
    // Shared to members only once active: a CA without its certificate cannot issue.
    this.share = new CrossAccountShare(this, 'share', {
      name: `${props.project}-${props.meshName}-mesh-root`,
      ownerProvider: provider,
      resourceArn: this.installed.certificateAuthorityArn,
      members: props.members,
      sameOrganization: props.sameOrganization,
      permissionArns: [SUBORDINATE_CA_PERMISSION()],
    });
  }
}
