/**
 * jest with jest-light-runner (used by Babel's and Prettier's test suites): test files run in bare
 * Node.js child processes that are reused across files, so the library and its 40 MB of generated
 * bindings load once per worker instead of once per test file (jest's default runner re-creates a
 * module registry for every file: ~1.2 s of loading each, 112 files). Measured on these 2-core
 * machines: jest 94 s -> 44-50 s wall for the same 1,486 tests (README, "Scripts").
 *
 * What the light runner does not do, and why that is fine here: no `jest.mock` of modules (the
 * suite uses none), no per-file global isolation (tests that change `process.env` restore it;
 * module singletons such as the verified upstream cache are read-only).
 *
 * TypeScript: tsx's loader, registered through NODE_OPTIONS so every child process inherits it
 * (set here, so `npx jest <file>` works as well as `npm test`). Type-checking is `tsc --noEmit`'s
 * job alone (TypeScript 7, see the `test` script).
 *
 * Workers: one per core (jest's default is cores - 1, i.e. ONE worker on a 2-core machine).
 * @type {import('jest').Config}
 */
const TSX = '--import tsx';
if (!(process.env.NODE_OPTIONS ?? '').includes(TSX)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${TSX}`.trim();
}

module.exports = {
  runner: '<rootDir>/test/support/light-runner.mjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
