export * from './secret-reference';
export * from './external-dns';
export * from './zones';
