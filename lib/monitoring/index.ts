export { MONITORING_NAMESPACE, PrometheusOperatorCrds } from './prometheus-operator-crds';
export type { PrometheusOperatorCrdsProps } from './prometheus-operator-crds';
export { ALERTING_LABEL, ALERTMANAGER_URL, MONITORING_RELEASE, MonitoringStack, PROMETHEUS_SERVICE_ACCOUNT, PROMETHEUS_URL, SCRAPE_TOKEN_SECRET } from './monitoring-stack';
export type { MonitoringStackProps } from './monitoring-stack';
