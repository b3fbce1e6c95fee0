/**
 * Workers: jest's default is cores - 1, i.e. ONE worker on a 2-core machine; one worker per core
 * keeps every core busy (the test files are CPU-bound, with no I/O to wait for).
 *
 * Type-checking happens once, in `tsc --noEmit` (TypeScript 7, see the `test` script). Jest only
 * transpiles, with SWC (a Rust transpiler: no type information, so the 40 MB of generated
 * bindings in imports/ cost milliseconds per file instead of seconds).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  maxWorkers: '100%',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
