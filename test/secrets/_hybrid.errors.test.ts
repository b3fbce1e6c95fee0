import { generateKeyPairSync } from 'node:crypto';
import { ErrorCode } from '../../lib/core/errors';
import { hybridDecrypt } from '../../lib/secrets/_hybrid';
import { thrownBy } from '../support/errors';

describe('hybridDecrypt errors', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  test.each([
    ['shorter than its length prefix', Buffer.from([1]), 'the sealed value is shorter than its 2-byte length prefix'],
    ['an RSA block too small for a 2048-bit key', Buffer.from([0, 16, ...new Array<number>(40).fill(0)]), 'the sealed value declares a 16-byte RSA block'],
    ['shorter than its RSA block and GCM tag', Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(100)]), 'the sealed value is 102 bytes, shorter than its 256-byte RSA block'],
  ])('fails with SEALED_VALUE_MALFORMED on a value %s', (_what, ciphertext, message) => {
    // GIVEN a structurally impossible sealed value WHEN decrypted THEN nothing is tried and the code says why
    const error = thrownBy(() => hybridDecrypt(privateKey, ciphertext, new Uint8Array()));
    expect(error.code).toBe(ErrorCode.SEALED_VALUE_MALFORMED);
    expect(error.message).toContain(message);
  });
});
