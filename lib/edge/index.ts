export * from './gateway-api-crds';
export * from './service-reference';
export * from './edge-implementation';
export * from './metallb';
export * from './gateway-stack';
export * from './platform-ui';
