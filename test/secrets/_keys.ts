import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';

/** The committed TEST key pair (test/fixtures/secrets/README.md): never a cluster's key. */
export const FIXTURES = join(__dirname, '..', 'fixtures', 'secrets');
export const TEST_CERT_PATH = join(FIXTURES, 'test-sealing.pem');
export const TEST_KEY_PATH = join(FIXTURES, 'test-sealing.key');
export const TEST_CERT_PEM = readFileSync(TEST_CERT_PATH, 'utf8');
export const TEST_PRIVATE_KEY = readFileSync(TEST_KEY_PATH, 'utf8');

/** The code of the InfraFluxError `fn` throws (fails the test when it throws nothing or something else). */
export function errorOf(fn: () => unknown): { code: ErrorCode; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof InfraFluxError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an InfraFluxError, nothing was thrown');
}
