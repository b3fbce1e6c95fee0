export * from './authentik';
export * from './dex';
