/**
 * @internal What the alerting constructs need from the cluster's monitoring stack (the shared
 * contract of issue 14, /docs/alerts.md): the prometheus-operator CRD app every
 * `monitoring.coreos.com` object depends on, the namespace and the Alertmanager Service.
 */
import { IConstruct } from 'constructs';
import type { IFluxApp } from '../../flux/flux-app';

/** Namespace of kube-prometheus-stack: Prometheus, Alertmanager and the platform's rules and routes. */
export const MONITORING_NAMESPACE = 'monitoring';

/** The Alertmanager Service of kube-prometheus-stack (`fullnameOverride: kube-prometheus-stack`). */
export const ALERTMANAGER_URL = `http://kube-prometheus-stack-alertmanager.${MONITORING_NAMESPACE}.svc:9093`;

/** The label Alertmanager selects AlertmanagerConfigs by (`alertmanagerConfigSelector`). */
export const ALERTING_LABEL = 'infraflux.io/alerting';

/** The monitoring stack of a cluster, as the alerting constructs see it. */
export interface IMonitoringCrds extends IConstruct {
  /** The app that installs the `monitoring.coreos.com` CRDs: every rule and route depends on it. */
  readonly crds: IFluxApp;
}
