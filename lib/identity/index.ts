export * from './authentik';
