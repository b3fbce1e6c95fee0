export * from './seal';
export * from './sealed-secret';
