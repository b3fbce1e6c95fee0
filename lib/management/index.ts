export * from './providers';
export * from './management-cluster';
export * from './workload-cluster-bootstrap';
export * from './baremetal-operator';
