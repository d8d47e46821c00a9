// Which part of a cluster's Istio control plane must exist before which, as data, so the stacks
// can wire `dependsOn` (and stack boundaries) from it and a test can check that they do. Destroy
// runs the same edges backwards. Each edge says why, and where that comes from.

export type ControlPlanePart =
  | 'load-balancer-controller'
  | 'cert-manager'
  | 'pca-issuer-identity'
  | 'pca-issuer'
  | 'istio-base'
  | 'istio-cni'
  | 'mesh-root-issuer'
  | 'intermediate-certificate'
  | 'istiod'
  | 'mesh-wide-objects'
  | 'ingress-gateway'
  | 'east-west-gateway'
  | 'injected-workloads';

export interface OrderEdge {
  before: ControlPlanePart;
  after: ControlPlanePart;
  /** What goes wrong if `after` comes first. */
  why: string;
  source: string;
}

const CRD_AT_PLAN =
  'Terraform builds a kubernetes_manifest against its CRD at plan time, so the CRD must already be installed: in an earlier stack, not the same apply';

export const CONTROL_PLANE_ORDER: readonly OrderEdge[] = [
  {
    before: 'cert-manager',
    after: 'intermediate-certificate',
    why: `the Certificate kind comes with cert-manager's chart (crds.enabled); ${CRD_AT_PLAN}`,
    source: 'https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/manifest#before-you-use-this-resource',
  },
  {
    before: 'pca-issuer',
    after: 'mesh-root-issuer',
    why: `the AWSPCAIssuer kind comes with aws-privateca-issuer's chart (charts/aws-pca-issuer/crds); ${CRD_AT_PLAN}`,
    source: 'cert-manager/aws-privateca-issuer v1.9.0 charts/aws-pca-issuer/crds',
  },
  {
    before: 'pca-issuer-identity',
    after: 'pca-issuer',
    why: 'EKS injects Pod Identity credentials when a pod is created; issuer pods started before the association have none and cannot call PCA',
    source: 'awsdocs/amazon-eks-user-guide latest/ug/manage-access/aws-access/service-accounts.adoc ("If a pod uses a service account that has an association, Amazon EKS sets environment variables in the containers of the pod")',
  },
  {
    before: 'cert-manager',
    after: 'pca-issuer',
    why: 'the issuer watches cert-manager\'s CertificateRequests, a kind cert-manager\'s chart installs, and signs only requests cert-manager\'s service account approved through the issuer chart\'s approver role',
    source: 'cert-manager/aws-privateca-issuer v1.9.0 pkg/controllers/certificaterequest_controller.go (SetupWithManager: For(&cmapi.CertificateRequest{})), charts/aws-pca-issuer/templates/rbac.yaml',
  },
  {
    before: 'mesh-root-issuer',
    after: 'intermediate-certificate',
    why: 'the Certificate is issued by that issuer; it stays un-Ready until the issuer exists',
    source: 'cert-manager v1.21.1 issuerRef resolution',
  },
  {
    before: 'intermediate-certificate',
    after: 'istiod',
    why:
      'istiod mounts `cacerts` as optional and, if it is absent at start, creates a self-signed root; a later `cacerts` under another root is refused unless ISTIO_MULTIROOT_MESH is on. Wait for the Certificate to be Ready, not just created',
    source: 'istio/istio 1.30.3 pilot/pkg/bootstrap/istio_ca.go createIstioCA (useSelfSignedCA := !signingCABundleComplete), handleEvent; istio-discovery templates/deployment.yaml (cacerts optional: true)',
  },
  {
    before: 'istio-base',
    after: 'mesh-wide-objects',
    why: `PeerAuthentication, Telemetry and Gateway kinds come with the base chart (templates/crds.yaml); ${CRD_AT_PLAN}`,
    source: 'istio/istio 1.30.3 manifests/charts/base/templates/crds.yaml',
  },
  {
    before: 'istio-base',
    after: 'istiod',
    why: 'istiod watches Istio\'s kinds and the base chart installs their CRDs and the default validating webhook',
    source: 'istio/istio 1.30.3 manifests/charts/base',
  },
  {
    before: 'istiod',
    after: 'mesh-wide-objects',
    why: 'the validating webhook fails open (failurePolicy: Ignore) until istiod patches it, so objects created before istiod are not validated',
    source: 'istio/istio 1.30.3 manifests/charts/base/templates/defaultrevision-validatingwebhookconfiguration.yaml',
  },
  {
    before: 'istio-cni',
    after: 'injected-workloads',
    why: 'with cni.enabled the injected pods have no NET_ADMIN init container; a pod started before the CNI node agent has no traffic redirection (the agent\'s repair controller then has to restart it)',
    source: 'istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/files/injection-template.yaml; istio-cni values.yaml repair.*',
  },
  {
    before: 'istio-cni',
    after: 'ingress-gateway',
    why: 'gateway pods are injected pods too (`inject.istio.io/templates: gateway`)',
    source: 'istio/istio 1.30.3 manifests/charts/gateway/values.yaml podAnnotations',
  },
  {
    before: 'istio-cni',
    after: 'east-west-gateway',
    why: 'gateway pods are injected pods too',
    source: 'istio/istio 1.30.3 manifests/charts/gateway/values.yaml podAnnotations',
  },
  {
    before: 'istiod',
    after: 'ingress-gateway',
    why: 'the gateway Deployment says `image: auto`, which only the injection webhook (fails closed) replaces',
    source: 'istio/istio 1.30.3 manifests/charts/gateway/templates/deployment.yaml; istio-discovery templates/mutatingwebhook.yaml',
  },
  {
    before: 'istiod',
    after: 'east-west-gateway',
    why: 'the gateway Deployment says `image: auto`, which only the injection webhook replaces',
    source: 'istio/istio 1.30.3 manifests/charts/gateway/templates/deployment.yaml',
  },
  {
    before: 'istiod',
    after: 'injected-workloads',
    why: 'the injection webhook fails closed: without istiod, pods of injected namespaces are not admitted',
    source: 'istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml (failurePolicy: Fail)',
  },
  {
    before: 'load-balancer-controller',
    after: 'east-west-gateway',
    why: 'only the controller provisions a Service annotated `aws-load-balancer-type: external`, and on destroy its finalizer must still be served to delete the NLB',
    source: 'kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md ("Legacy Cloud Provider")',
  },
];

/** The parts that must come before `part`, directly. */
export const prerequisitesOf = (part: ControlPlanePart) => CONTROL_PLANE_ORDER.filter((e) => e.after === part).map((e) => e.before);

/** The parts in an order that satisfies every edge (Kahn's algorithm); throws on a cycle. */
export function applyOrder(edges: readonly OrderEdge[] = CONTROL_PLANE_ORDER): ControlPlanePart[] {
  const parts = [...new Set(edges.flatMap((e) => [e.before, e.after]))];
  const order: ControlPlanePart[] = [];
  const pending = new Set(parts);
  while (pending.size) {
    const ready = [...pending].filter((p) => edges.every((e) => e.after !== p || !pending.has(e.before)));
    if (ready.length === 0) throw new Error(`the control-plane order has a cycle among ${[...pending].join(', ')}`);
    ready.forEach((p) => (order.push(p), pending.delete(p)));
  }
  return order;
}
