export * from '../gateway-api/gateway-api-crds';
export * from '../core/service-reference';
export * from './edge-implementation';
export * from './metallb';
export * from './gateway-stack';
export * from './platform-ui';
