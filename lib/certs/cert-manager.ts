import { Construct, IConstruct } from 'constructs';
import { CertManagerValues } from '../../imports/helm/cert-manager';
import { CERT_MANAGER_CHART } from '../../imports/helm/charts';
import { deepMerge } from '../core/_merge';
import { invalidProp, validateDnsLabel } from '../core/errors';
import { IGatewayApiCrds } from '../gateway-api/gateway-api-crds';
import { ChartBackedConstruct } from '../flux/flux-app';
import { ReconcileTiming } from '../flux/kustomization';

/** A cert-manager installation issuers and certificates can rely on. */
export interface ICertManager extends IConstruct {
  /** Namespace cert-manager runs in (where a ClusterIssuer's referenced Secrets live). */
  readonly namespace: string;
}

export interface CertManagerProps extends ReconcileTiming {
  /**
   * Gateway API CRDs of the cluster. When given, cert-manager's Gateway API support
   * (`config.gatewayAPI.enabled`, HTTP-01 through HTTPRoutes and certificates for Gateways) is on,
   * and cert-manager is applied only after the CRDs are Established.
   * @default - Gateway API support off
   * @see https://cert-manager.io/docs/usage/gateway/
   */
  readonly gatewayApi?: IGatewayApiCrds;
  /**
   * Controller replicas; more than one runs with leader election.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: CertManagerValues;
}

/**
 * cert-manager from its pinned chart, CRDs included (`crds.enabled`, kept on uninstall), in the
 * namespace `cert-manager`. Issuers take it as a prop, which puts them after it in the Flux graph.
 */
export class CertManager extends ChartBackedConstruct<CertManagerValues> implements ICertManager {
  /**
   * A cert-manager this tree does not install (e.g. the platform team's): issuers may reference it,
   * and what depends on it waits for nothing (it runs before this cluster's Flux applies them).
   * @param namespace the namespace it runs in
   */
  public static fromNamespace(scope: Construct, id: string, namespace = 'cert-manager'): ICertManager {
    return new ImportedCertManager(scope, id, namespace);
  }


  /** The controller's ServiceMonitor (chart `prometheus.servicemonitor`; the chart's `prometheus.enabled` is on by default) when the cluster has a monitoring stack. */
  protected monitoringValues(): CertManagerValues {
    return { prometheus: { enabled: true, servicemonitor: { enabled: true } } };
  }

  public constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const values: CertManagerValues = {
      crds: { enabled: true, keep: true },
      replicaCount: replicas,
      ...(props.gatewayApi
        ? {
            config: {
              apiVersion: 'controller.config.cert-manager.io/v1alpha1',
              kind: 'ControllerConfiguration',
              // cert-manager 1.21 moved the switch from `enableGatewayAPI` to `gatewayAPI.enabled`
              // (https://github.com/cert-manager/cert-manager/pull/8732; pinned values.yaml example
              // under `config:`). test/certs/cert-manager.test.ts pins this against the chart.
              gatewayAPI: { enabled: true },
            },
          }
        : {}),
    };
    this.createApp({
      ...props,
      chart: CERT_MANAGER_CHART,
      name: 'cert-manager',
      namespace: 'cert-manager',
      values: deepMerge(values, props.values),
    });
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    if (props.gatewayApi) this.addDependency(props.gatewayApi);
  }

}

class ImportedCertManager extends Construct implements ICertManager {
  /** Read by the dependency resolution: nothing in this tree deploys it. */
  public readonly installedElsewhere = true;

  public constructor(
    scope: Construct,
    id: string,
    public readonly namespace: string,
  ) {
    super(scope, id);
    validateDnsLabel(this, 'namespace', namespace);
  }
}
