export * from './gateway-api-crds';
