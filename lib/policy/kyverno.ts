import { Construct, IConstruct } from 'constructs';
import { KYVERNO_CHART } from '../../imports/helm/charts';
import { KyvernoValues } from '../../imports/helm/kyverno';
import { deepMerge } from '../core/_merge';
import { Capability, claimCapability } from '../core/capabilities';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { ChartBackedConstruct } from '../flux/flux-app';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PLATFORM_NAMESPACES } from './policy-engine';

/** Kyverno's namespace (the chart's `kyverno.namespace`: the release namespace). */
export const KYVERNO_NAMESPACE = 'kyverno';

/** A running admission policy engine policies can be installed into. */
export interface IPolicyEngine extends IConstruct {
  /** The engine's namespace, never sent to its own webhooks. */
  readonly namespace: string;
  /** Namespaces the engine never sees: {@link PLATFORM_NAMESPACES} plus its own. */
  readonly excludedNamespaces: readonly string[];
}

export interface KyvernoProps extends ReconcileTiming {
  /**
   * Production shape: 3 admission controller replicas (the webhook is fail-closed for enforcing
   * policies, so one replica down must not block the API server), 2 of each background, cleanup
   * and reports controller, and a PodDisruptionBudget (`minAvailable: 1`) for each.
   * @default false
   * @see https://kyverno.io/docs/installation/methods/#high-availability-installation
   */
  readonly highAvailability?: boolean;
  /**
   * The Prometheus Operator CRDs of the cluster: when given, a ServiceMonitor per controller and
   * the release waits for the CRDs.
   * @default - no ServiceMonitors
   */
  readonly prometheusOperatorCrds?: IConstruct;
  /**
   * The one namespace Kyverno accepts legacy `kyverno.io` PolicyExceptions from
   * (`features.policyExceptions`); InfraFlux's CEL exceptions live there too.
   * @default - legacy PolicyExceptions off (the chart's default)
   */
  readonly policyExceptionNamespace?: string;
  /**
   * Extra chart values, merged over InfraFlux's. `config.webhooks` and `config.excludeKyvernoNamespace`
   * follow from the platform namespaces and may not be set here.
   * @default {}
   */
  readonly values?: KyvernoValues;
}

const KYVERNO_CAPABILITY = Capability.of('kyverno');
const CONTROLLERS = ['admissionController', 'backgroundController', 'cleanupController', 'reportsController'] as const;

/**
 * Kyverno from its pinned chart (3.9.0, app v1.19.0) in the controllers layer, namespace `kyverno`
 * (decision 0090).
 *
 * - Its webhooks never see `kube-system`, `flux-system` or `kyverno` (chart
 *   `config.webhooks.namespaceSelector`, `config.excludeKyvernoNamespace`): a policy can never
 *   block the CNI, Flux or the engine that would have to fix it.
 * - HA on request: 3 admission replicas, 2 per other controller, PodDisruptionBudgets.
 * - Restricted pods: the chart's container securityContexts already are (non-root, read-only root,
 *   no privilege escalation, all capabilities dropped, RuntimeDefault seccomp).
 * - CRDs (`kyverno.io`, `policies.kyverno.io`, reports) come with the chart; the reconcile model
 *   knows them (lib/reconcile/knowledge.ts) and so proves every policy object is applied only
 *   after this release is Ready.
 *
 * Needs: nothing. Provides: the `policies.kyverno.io` kinds once Ready. One per cluster.
 */
export class Kyverno extends ChartBackedConstruct<KyvernoValues> implements IPolicyEngine {
  public readonly excludedNamespaces: readonly string[];
  public readonly highAvailability: boolean;

  /** With a monitoring stack on the cluster, each controller's ServiceMonitor (values.yaml `*.serviceMonitor`). */
  protected monitoringValues(): KyvernoValues {
    const on = { serviceMonitor: { enabled: true } };
    return { admissionController: on, backgroundController: on, cleanupController: on, reportsController: on };
  }

  public constructor(scope: Construct, id: string, props: KyvernoProps = {}) {
    super(scope, id);
    const config = props.values?.config;
    if (config && (config.webhooks !== undefined || config.excludeKyvernoNamespace !== undefined)) {
      throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, 'values.config.webhooks and values.config.excludeKyvernoNamespace are derived by Kyverno (the platform namespaces it must never block); remove them from values');
    }
    this.highAvailability = props.highAvailability ?? false;
    this.excludedNamespaces = [...PLATFORM_NAMESPACES, KYVERNO_NAMESPACE].sort();
    const monitor = props.prometheusOperatorCrds !== undefined;
    const controller = (replicas: number) => ({
      replicas,
      podDisruptionBudget: { enabled: this.highAvailability, minAvailable: 1 },
      serviceMonitor: { enabled: monitor },
    });
    const values: KyvernoValues = {
      config: {
        excludeKyvernoNamespace: true,
        webhooks: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...this.excludedNamespaces] }] } },
      },
      admissionController: controller(this.highAvailability ? 3 : 1),
      backgroundController: controller(this.highAvailability ? 2 : 1),
      cleanupController: controller(this.highAvailability ? 2 : 1),
      reportsController: controller(this.highAvailability ? 2 : 1),
      ...(props.policyExceptionNamespace ? { features: { policyExceptions: { enabled: true, namespace: validateDnsLabel(this, 'policyExceptionNamespace', props.policyExceptionNamespace) } } } : {}),
    };
    this.createApp({ ...props, chart: KYVERNO_CHART, name: 'kyverno', namespace: KYVERNO_NAMESPACE, values: deepMerge(values, props.values) });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `must be created in the controllers layer, not "${this.app.layer.layerName}": its policies (configs layer) need its CRDs and webhooks Ready first`);
    }
    for (const c of CONTROLLERS) {
      const r = (this.app.values[c] as { replicas?: unknown } | undefined)?.replicas;
      if (typeof r === 'number' && (!Number.isInteger(r) || r < 1)) invalidProp(this, `values.${c}.replicas ${r} must be a whole number >= 1`);
    }
    if (props.prometheusOperatorCrds) this.addDependency(props.prometheusOperatorCrds);
    claimCapability(GitOpsCluster.of(this), KYVERNO_CAPABILITY, this);
  }
}
