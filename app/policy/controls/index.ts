import type { Control } from '../control';
import { CONTROL_IDS } from '../../../config/policy-ids';
import { EKS_CONTROLS } from './eks';
import { NETWORK_CONTROLS } from './network';
import { DATA_CONTROLS } from './data';
import { IAM_CONTROLS } from './iam';
import { outputNoSecrets } from './outputs';
import { MESH_CONTROLS } from './mesh';
import { KUBERNETES_CONTROLS } from './kubernetes';
import { ISTIO_CONTROLS } from './istio';
import { noCaPrivateKey } from './pki';

const ALL: Control[] = [...EKS_CONTROLS, ...NETWORK_CONTROLS, ...DATA_CONTROLS, ...IAM_CONTROLS, outputNoSecrets, ...MESH_CONTROLS, ...KUBERNETES_CONTROLS, ...ISTIO_CONTROLS, noCaPrivateKey];

/** Every control, in the order of CONTROL_IDS (which the README table follows). */
export const CONTROLS: Control[] = CONTROL_IDS.map((id) => {
  const control = ALL.find((c) => c.id === id);
  if (!control) throw new Error(`control "${id}" is listed in config/policy-ids.ts but not implemented`);
  return control;
});
