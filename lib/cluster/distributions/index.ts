import { DistributionKind } from '../distribution';
import { ControlPlaneDistribution } from './_strategy';
import { RKE2_CONTROL_PLANE } from './rke2-control-plane';
import { TALOS_CONTROL_PLANE } from './talos-control-plane';

/** @internal The control-plane strategy of a distribution kind. */
export function controlPlaneDistribution(kind: DistributionKind): ControlPlaneDistribution {
  return kind === DistributionKind.TALOS ? TALOS_CONTROL_PLANE : RKE2_CONTROL_PLANE;
}
