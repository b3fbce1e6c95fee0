export * from './dashboard';
export * from './grafana';
export * from './loki';
export * from './otel-collector';
export * from './platform-dashboards';
export * from './tempo';
