export * from './addresses';
export * from './options';
export * from './cilium-networking';
export * from './tetragon';
export type { ProfileDecision } from './_profile';
export * from './load-balancing';
export * from './cluster-mesh';
export * from './policies';
