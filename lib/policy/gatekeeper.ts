import { Construct } from 'constructs';
import { GATEKEEPER_CHART } from '../../imports/helm/charts';
import { GatekeeperValues } from '../../imports/helm/gatekeeper';
import { deepMerge } from '../core/_merge';
import { Capability, claimCapability } from '../core/capabilities';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { ChartBackedConstruct } from '../flux/flux-app';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import type { IPolicyEngine } from './kyverno';
import { PLATFORM_NAMESPACES } from './policy-engine';

/** Gatekeeper's namespace (the chart's release namespace). */
export const GATEKEEPER_NAMESPACE = 'gatekeeper-system';

export interface GatekeeperProps extends ReconcileTiming {
  /**
   * Production shape: the webhook fails closed (`validatingWebhookFailurePolicy: Fail`) and a
   * PodDisruptionBudget keeps one controller up. Off: the chart's fail-open webhook (`Ignore`).
   * The chart runs 3 controller replicas either way.
   * @default false
   * @see https://open-policy-agent.github.io/gatekeeper/website/docs/failing-closed
   */
  readonly highAvailability?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's. `controllerManager.exemptNamespaces` follows from
   * the platform namespaces and may not be set here.
   * @default {}
   */
  readonly values?: GatekeeperValues;
}

/**
 * OPA Gatekeeper from its pinned chart (3.23.0), the alternative engine behind
 * `PolicyBaseline` `engine: PolicyEngine.GATEKEEPER` (decision 0090), in the controllers layer.
 * Its webhook exempts `kube-system`, `flux-system` and its own namespace (`controllerManager.exemptNamespaces`;
 * the chart's post-install Job labels its own namespace too). Needs nothing; provides the
 * `templates.gatekeeper.sh` kinds once Ready (constraint kinds appear per ConstraintTemplate at runtime).
 */
export class Gatekeeper extends ChartBackedConstruct<GatekeeperValues> implements IPolicyEngine {
  public readonly excludedNamespaces: readonly string[];

  public constructor(scope: Construct, id: string, props: GatekeeperProps = {}) {
    super(scope, id);
    if (props.values?.controllerManager?.exemptNamespaces !== undefined) {
      throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, 'values.controllerManager.exemptNamespaces is derived by Gatekeeper (the platform namespaces it must never block); remove it from values');
    }
    this.excludedNamespaces = [...PLATFORM_NAMESPACES, GATEKEEPER_NAMESPACE].sort();
    const ha = props.highAvailability ?? false;
    const values: GatekeeperValues = {
      validatingWebhookFailurePolicy: ha ? 'Fail' : 'Ignore',
      pdb: { controllerManager: { minAvailable: 1 } },
      controllerManager: { exemptNamespaces: [...this.excludedNamespaces] },
    };
    this.createApp({ ...props, chart: GATEKEEPER_CHART, name: 'gatekeeper', namespace: GATEKEEPER_NAMESPACE, values: deepMerge(values, props.values) });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `must be created in the controllers layer, not "${this.app.layer.layerName}": its ConstraintTemplates (configs layer) need its CRDs Ready first`);
    }
    claimCapability(GitOpsCluster.of(this), Capability.of('gatekeeper'), this);
  }
}
