export * from './alert-rule';
export * from './platform-rules';
export * from './promql';
export * from './routing';
