export * from './version-set';
export * from './compatibility';
