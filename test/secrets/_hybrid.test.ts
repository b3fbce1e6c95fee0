import { constants, createPrivateKey, createPublicKey, publicEncrypt } from 'node:crypto';
import { framingProblem, hybridDecrypt, hybridEncrypt } from '../../lib/secrets/_hybrid';
import { TEST_CERT_PEM, TEST_PRIVATE_KEY } from './_keys';

// GIVEN the committed test key pair (test/fixtures/secrets) and a Sealed Secrets label (namespace/name)
const publicKey = createPublicKey(TEST_CERT_PEM);
const privateKey = createPrivateKey(TEST_PRIVATE_KEY);
const LABEL = Buffer.from('default/db-credentials');
const rsaBytes = (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;

describe('Sealed Secrets hybrid cipher', () => {
  test('round-trips a value; the layout is length || RSA block || AES-GCM body || 16-byte tag', () => {
    // WHEN a value is sealed
    const plaintext = Buffer.from('s3cr3t-password');
    const sealed = hybridEncrypt(publicKey, plaintext, LABEL);
    // THEN the 2-byte prefix is the RSA block length, the body is as long as the plaintext, plus the tag
    expect(sealed.readUInt16BE(0)).toBe(rsaBytes);
    expect(sealed.length).toBe(2 + rsaBytes + plaintext.length + 16);
    expect(sealed.includes(plaintext)).toBe(false);
    // AND it decrypts with the private key and the same label
    expect(hybridDecrypt(privateKey, sealed, LABEL).toString()).toBe('s3cr3t-password');
  });

  test('uses a fresh session key each time: sealing twice gives different bytes', () => {
    const a = hybridEncrypt(publicKey, Buffer.from('x'), LABEL);
    const b = hybridEncrypt(publicKey, Buffer.from('x'), LABEL);
    expect(a.equals(b)).toBe(false);
    expect(hybridDecrypt(privateKey, b, LABEL).toString()).toBe('x');
  });

  test('round-trips an empty value', () => {
    const sealed = hybridEncrypt(publicKey, Buffer.alloc(0), LABEL);
    expect(sealed.length).toBe(2 + rsaBytes + 16);
    expect(hybridDecrypt(privateKey, sealed, LABEL).length).toBe(0);
  });

  test('fails to decrypt with another label (the value is bound to its namespace/name)', () => {
    const sealed = hybridEncrypt(publicKey, Buffer.from('v'), LABEL);
    expect(() => hybridDecrypt(privateKey, sealed, Buffer.from('other/db-credentials'))).toThrow();
  });

  test('fails to decrypt a tampered body (GCM authentication)', () => {
    // GIVEN a sealed value with one byte of the AES body flipped
    const sealed = hybridEncrypt(publicKey, Buffer.from('value'), LABEL);
    sealed[2 + rsaBytes] ^= 0x01;
    // THEN decryption refuses it
    expect(() => hybridDecrypt(privateKey, sealed, LABEL)).toThrow(/unable to authenticate|auth/i);
  });

  test('framing: a plausible value has no problem; short or impossible values say why', () => {
    expect(framingProblem(hybridEncrypt(publicKey, Buffer.from('v'), LABEL))).toBeUndefined();
    expect(framingProblem(Buffer.from([1]))).toBe('is shorter than its 2-byte length prefix');
    expect(framingProblem(Buffer.from([0, 255, ...new Array(300).fill(0)]))).toBe('declares a 255-byte RSA block; a 2048-bit or larger key gives at least 256');
    expect(framingProblem(Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(256 + 15)]))).toBe('is 273 bytes, shorter than its 256-byte RSA block plus the 16-byte GCM tag');
    expect(framingProblem(Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(256 + 16)]))).toBeUndefined();
  });

  test('fails to decrypt a value whose framing is impossible, before any RSA work', () => {
    expect(() => hybridDecrypt(privateKey, Buffer.alloc(1), LABEL)).toThrow(/the sealed value is shorter than its 2-byte length prefix/);
    expect(() => hybridDecrypt(privateKey, Buffer.from([0, 16, ...new Array(40).fill(0)]), LABEL)).toThrow(/the sealed value declares a 16-byte RSA block/);
  });

  test('fails to decrypt a value whose RSA block holds a session key that is not 32 bytes', () => {
    // GIVEN a well-framed value whose RSA block carries a 16-byte key (AES-128, not what upstream writes)
    const rsa = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: LABEL }, Buffer.alloc(16, 7));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(rsa.length);
    // THEN it is refused with the key size
    expect(() => hybridDecrypt(privateKey, Buffer.concat([length, rsa, Buffer.alloc(20)]), LABEL)).toThrow(/the session key is 16 bytes, not 32/);
  });
});
