export * from './cidr';
export { SecretKeyReference, SecretProvenance, SecretReference } from '../secrets/secret-reference';
export * from './machine';
export * from './cluster-class';
export * from './distribution';
export * from './providers';
export * from './talos-cluster';
export * from './talos-schema';
export * from './cilium-datapath';
