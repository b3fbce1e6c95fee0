export * from './alert-rule';
export * from './platform-rules';
export * from './promql';
export * from './routing';
export { ALERTMANAGER_URL, ALERTING_LABEL, MONITORING_NAMESPACE, type IMonitoringCrds } from './_monitoring-api';
