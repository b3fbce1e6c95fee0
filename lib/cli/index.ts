export * from './io';
export * from './validate';
export * from './plan';
export * from './graph';
export { runCli, USAGE } from './main';
