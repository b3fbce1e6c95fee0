/**
 * @internal The Sealed Secrets hybrid cipher, with Node's crypto only (OpenSSL underneath).
 *
 * Byte layout of one sealed value, as written by `HybridEncrypt` in bitnami-labs/sealed-secrets
 * `pkg/crypto/crypto.go` at v0.36.6 (commit 6dc880366d1cafa16683173cc3c8e3b58e930937):
 *
 *   uint16 big-endian len(rsa) || rsa = RSA-OAEP-SHA256(sessionKey, label) || AES-256-GCM(plaintext) || GCM tag
 *
 * The session key is 32 random bytes used once, so the GCM nonce is 12 zero bytes; there is no
 * additional authenticated data. Go's `rsa.EncryptOAEP(sha256.New(), …)` uses SHA-256 for both the
 * OAEP digest and MGF1; Node's `oaepHash` sets both too. Go's `aead.Seal` appends the 16-byte tag.
 * See docs/decisions/0060-offline-sealing.md.
 */
import { constants, createCipheriv, createDecipheriv, KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { ErrorCode, InfraFluxError } from '../core/errors';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
const ZERO_NONCE = Buffer.alloc(GCM_NONCE_BYTES);

/** Encrypts `plaintext` for `publicKey` (an RSA key) with the OAEP label `label`. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: Uint8Array): Buffer {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  try {
    const rsaCiphertext = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
      sessionKey,
    );
    const cipher = createCipheriv('aes-256-gcm', sessionKey, ZERO_NONCE, { authTagLength: GCM_TAG_BYTES });
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(rsaCiphertext.length);
    return Buffer.concat([length, rsaCiphertext, body, cipher.getAuthTag()]);
  } finally {
    sessionKey.fill(0);
  }
}

/** Why a sealed value is structurally impossible, or undefined when its framing is plausible. */
export function framingProblem(ciphertext: Buffer): string | undefined {
  if (ciphertext.length < 2) return 'is shorter than its 2-byte length prefix';
  const rsaLength = ciphertext.readUInt16BE(0);
  if (rsaLength < 256) return `declares a ${rsaLength}-byte RSA block; a 2048-bit or larger key gives at least 256`;
  if (ciphertext.length < 2 + rsaLength + GCM_TAG_BYTES) return `is ${ciphertext.length} bytes, shorter than its ${rsaLength}-byte RSA block plus the 16-byte GCM tag`;
  return undefined;
}

/**
 * Decrypts one sealed value with `privateKey` and the OAEP label `label`, like `singleDecrypt` in
 * upstream `pkg/crypto/crypto.go`. Throws Node's error when the key or label is wrong or the
 * value was tampered with (GCM authentication).
 */
export function hybridDecrypt(privateKey: KeyObject, ciphertext: Buffer, label: Uint8Array): Buffer {
  const problem = framingProblem(ciphertext);
  if (problem) throw new InfraFluxError(ErrorCode.SEALED_VALUE_MALFORMED, 'hybridDecrypt', `the sealed value ${problem}`);
  const rsaLength = ciphertext.readUInt16BE(0);
  const rsaCiphertext = ciphertext.subarray(2, 2 + rsaLength);
  const aes = ciphertext.subarray(2 + rsaLength);
  const sessionKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    rsaCiphertext,
  );
  try {
    if (sessionKey.length !== SESSION_KEY_BYTES) throw new InfraFluxError(ErrorCode.SEALED_VALUE_MALFORMED, 'hybridDecrypt', `the session key is ${sessionKey.length} bytes, not ${SESSION_KEY_BYTES}`);
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, ZERO_NONCE, { authTagLength: GCM_TAG_BYTES });
    decipher.setAuthTag(aes.subarray(aes.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(aes.subarray(0, aes.length - GCM_TAG_BYTES)), decipher.final()]);
  } finally {
    sessionKey.fill(0);
  }
}
