import { CertManagerValues } from '../../imports/helm/cert-manager';
import { CERT_MANAGER_CHART } from '../../imports/helm/charts';
import { deepMerge } from '../core/_merge';
import { invalidProp } from '../core/errors';
import { GatewayApiCrds } from '../edge/gateway-api-crds';
import { FluxApp } from '../flux/flux-app';
import { FluxLayer } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';

export interface CertManagerProps extends ReconcileTiming {
  /**
   * Gateway API CRDs of the cluster. When given, cert-manager's Gateway API support
   * (`config.gatewayAPI.enabled`, HTTP-01 through HTTPRoutes and certificates for Gateways) is on,
   * and cert-manager is applied only after the CRDs are Established.
   * @default - Gateway API support off
   * @see https://cert-manager.io/docs/usage/gateway/
   */
  readonly gatewayApi?: GatewayApiCrds;
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
export class CertManager extends FluxApp<CertManagerValues> {
  public constructor(scope: FluxLayer, id: string, props: CertManagerProps = {}) {
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
    super(scope, id, {
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
