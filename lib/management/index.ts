export * from './providers';
export * from './management-cluster';
export * from './workload-cluster-bootstrap';
