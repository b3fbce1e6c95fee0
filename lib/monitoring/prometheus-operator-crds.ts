import { Construct } from 'constructs';
import { PROMETHEUS_OPERATOR_CRDS_CHART } from '../../imports/helm/charts';
import { PrometheusOperatorCrdsValues } from '../../imports/helm/prometheus-operator-crds';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PodSecurityLevel } from '../flux/pod-security';

/**
 * The shared HelmRepository of the prometheus-community charts: the name derived from the URL,
 * `helm-charts`, is Velero's (`vmware-tanzu.github.io/helm-charts`).
 */
export const PROMETHEUS_COMMUNITY_REPOSITORY = 'prometheus-community';

/** Namespace of the metrics stack: created by the CRD app (crds layer), so it exists before any later layer. */
export const MONITORING_NAMESPACE = 'monitoring';

export interface PrometheusOperatorCrdsProps extends ReconcileTiming {
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: PrometheusOperatorCrdsValues;
}

/**
 * The `monitoring.coreos.com` CRDs (ServiceMonitor, PodMonitor, PrometheusRule, AlertmanagerConfig
 * …) from the pinned `prometheus-operator-crds` chart, as their own Flux app in the cluster's crds
 * layer (release `prometheus-operator-crds`). The chart renders the CRDs as templates, so Helm
 * upgrades them with the release (a chart's `crds/` folder is only ever created); kube-prometheus-stack
 * runs with `crds.enabled: false` (prometheus-operator/NOTES.md). Every app that emits a monitor
 * depends on it. It also creates the `monitoring` Namespace the stack runs in, with the Pod
 * Security level `privileged`: node-exporter reads the host's /proc and /sys with hostNetwork and
 * hostPID (prometheus-node-exporter chart `hostNetwork`, `hostPID`, `hostRootFsMount`).
 */
export class PrometheusOperatorCrds extends ChartBackedConstruct<PrometheusOperatorCrdsValues> {
  public constructor(scope: Construct, id: string, props: PrometheusOperatorCrdsProps = {}) {
    super(scope, id);
    this.createApp({
      ...props,
      chart: PROMETHEUS_OPERATOR_CRDS_CHART,
      repositoryName: PROMETHEUS_COMMUNITY_REPOSITORY,
      name: 'prometheus-operator-crds',
      namespace: MONITORING_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: {},
    });
    if (props.values) this.app.addValues(props.values);
    if (this.app.layer.layerName !== LayerName.CRDS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `the monitoring CRDs belong in the crds layer, not "${this.app.layer.layerName}": every monitor of a later layer needs them`);
    }
  }
}
