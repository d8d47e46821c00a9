import { CERT_MANAGER, PCA_ISSUER } from './names';

// Helm values of cert-manager (v1.21.1) and aws-privateca-issuer (v1.9.0), the two charts that
// give each cluster its own intermediate CA from the shared AWS Private CA root. Typed objects,
// serialized by the project with the yaml library; every key is in the pinned chart's
// values.yaml (checked in the tests).

export interface CertManagerValues {
  crds: { enabled: true; keep: false };
  enableCertificateOwnerRef: true;
}

export interface PcaIssuerValues {
  image: { repository: string; tag: string };
  serviceAccount: { create: true; name: string };
  approverRole: { enabled: true; serviceAccountName: string; namespace: string };
  podSecurityContext: { runAsUser: number; runAsNonRoot: true; seccompProfile: { type: 'RuntimeDefault' } };
  securityContext: { allowPrivilegeEscalation: false; capabilities: { drop: ['ALL'] } };
}

/**
 * cert-manager installs its CRDs with the chart, and removes them with it (`crds.keep: false`,
 * default true) so that a destroyed cluster leaves no Certificate behind. With the owner
 * reference on, the `cacerts` Secret, which holds the intermediate's private key, is deleted
 * with its Certificate instead of lingering (values.yaml, `enableCertificateOwnerRef`).
 * The images follow the chart's appVersion (config/versions.ts CERT_MANAGER_IMAGES).
 */
export function certManagerValues(): CertManagerValues {
  return { crds: { enabled: true, keep: false }, enableCertificateOwnerRef: true };
}

/**
 * aws-privateca-issuer, under a fixed service account that its Pod Identity role is bound to.
 * The approver role lets cert-manager's own service account approve requests to the
 * `awspca.cert-manager.io` issuers: cert-manager approves only its built-in issuers' requests by
 * itself (its values.yaml `approveSignerNames`), and the issuer signs only approved ones
 * (README "Disable Approval Check", v1.9.0).
 */
export function pcaIssuerValues(image: { repository: string; tag: string }): PcaIssuerValues {
  if (!image.repository || !image.tag || image.tag === 'latest') {
    throw new Error(`aws-privateca-issuer image ${JSON.stringify(image)} is not pinned. Fix: pass PCA_ISSUER_IMAGE from config/versions.ts`);
  }
  return {
    image: { repository: image.repository, tag: image.tag },
    serviceAccount: { create: true, name: PCA_ISSUER.serviceAccount },
    approverRole: { enabled: true, serviceAccountName: CERT_MANAGER.serviceAccount, namespace: PCA_ISSUER.namespace },
    // The chart's defaults (user 65532, no privilege escalation) plus what Pod Security
    // `restricted` also asks for (non-root, a seccomp profile, no capabilities), so the namespace
    // holding the one credential that can ask PCA for a CA can enforce `restricted`; cert-manager's
    // own chart already meets it (its values.yaml securityContext/containerSecurityContext).
    podSecurityContext: { runAsUser: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}
