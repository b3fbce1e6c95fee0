export * from './types';
export * from './knowledge';
export * from './reconcile-model';
export * from './rules';
export * from './cluster-readme';
export * from './check';
export * from './provenance';
export * from './dist-tree';
