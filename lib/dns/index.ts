export * from './secret-reference';
export * from './external-dns';
