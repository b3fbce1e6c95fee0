/**
 * @internal Layer checks shared by the configs-layer constructs of lib/networking (tetragon.ts,
 * load-balancing.ts, policies.ts), in a module below all of them.
 */
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';
import { FluxLayer, GitOpsCluster, LayerName } from '../flux/gitops-cluster';

/** @internal The layer name check shared by configs-layer constructs. */
export function requireConfigsOrLater(scope: Construct, what: string): void {
  const cluster = GitOpsCluster.of(scope);
  const ok = scope.node.scopes.some((s) => s instanceof FluxLayer && [LayerName.CONFIGS, LayerName.APPS].includes((s as FluxLayer).layerName));
  if (!ok) invalidProp(scope, `${what} must be created in the configs or apps layer of cluster "${cluster.name}" (it needs CRDs that the controllers layer installs)`);
}
