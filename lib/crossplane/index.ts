export * from './crossplane';
export * from './packages';
export * from './apis';
export * from './platform-apis';
export * from './bucket-sample-app';
export * from './versions';
