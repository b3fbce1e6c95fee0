export * from './cidr';
export * from './credentials';
export * from './machine';
export * from './cluster-class';
export * from './distribution';
export * from './providers';
export * from './talos-cluster';
export * from './talos-schema';
