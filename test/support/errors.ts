import { InfraFluxError } from '../../lib/core/errors';

/**
 * Runs `fn` and returns the InfraFluxError it throws, so a test can assert the stable `code` and
 * the message. Fails the test when `fn` does not throw, or throws something else.
 */
export function thrownBy(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InfraFluxError) return e;
    throw new Error(`expected an InfraFluxError, got: ${String(e)}`);
  }
  throw new Error('expected an InfraFluxError, nothing was thrown');
}
