import { execFileSync } from 'node:child_process';
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../../lib/core/errors';
import { CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION, seal, SealedData, SealingCertificate, SealingScope, unseal } from '../../lib/secrets';
import { errorOf, FIXTURES, TEST_CERT_PATH, TEST_CERT_PEM, TEST_KEY_PATH, TEST_PRIVATE_KEY } from './_keys';

const certificate = SealingCertificate.fromPem(TEST_CERT_PEM, 'test-sealing.pem');

function sealFor(scope: SealingScope, data: Record<string, string | Uint8Array> = { password: 'hunter2' }) {
  return seal({ certificate, name: 'db-credentials', namespace: 'app', scope, data });
}

describe('seal() / unseal() round trip', () => {
  test.each([
    ['strict', SealingScope.strict()],
    ['namespace-wide', SealingScope.namespaceWide()],
    ['cluster-wide', SealingScope.clusterWide()],
  ])('round-trips text and bytes in %s scope', (_name, scope) => {
    // GIVEN text and binary values
    const binary = Uint8Array.from([0, 1, 2, 254, 255]);
    // WHEN they are sealed with the test certificate
    const sealed = sealFor(scope, { password: 'hunter2 ünïcode', 'ca.crt': binary });
    // THEN the sealed data records its target, holds no plaintext, and opens with the private key at that target
    expect([sealed.name, sealed.namespace, sealed.scope]).toEqual(['db-credentials', 'app', scope]);
    expect(sealed.keys).toEqual(['ca.crt', 'password']);
    expect(JSON.stringify(sealed.encryptedData)).not.toContain('hunter2');
    expect(sealed.certificateFingerprint).toBe(certificate.fingerprintSha256);
    const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'db-credentials', namespace: 'app', scope });
    expect(opened.password.toString('utf8')).toBe('hunter2 ünïcode');
    expect([...opened['ca.crt']]).toEqual([0, 1, 2, 254, 255]);
  });

  test('writes the upstream byte layout: 2-byte big-endian RSA length, a 512-byte RSA block, AES-GCM body and 16-byte tag', () => {
    // GIVEN a 4096-bit test key (the controller's default size) WHEN a 10-byte value is sealed
    const value = Buffer.from(sealFor(SealingScope.strict(), { k: '0123456789' }).encryptedData.k, 'base64');
    // THEN the framing is HybridEncrypt's
    expect(certificate.modulusBits).toBe(4096);
    expect(value.readUInt16BE(0)).toBe(512);
    expect(value.length).toBe(2 + 512 + 10 + 16);
  });

  test('uses a fresh session key per value: the same input seals differently each time', () => {
    const a = sealFor(SealingScope.strict()).encryptedData.password;
    const b = sealFor(SealingScope.strict()).encryptedData.password;
    expect(a).not.toBe(b);
  });
});

describe('the sealing scope binds the ciphertext (the OAEP label)', () => {
  // Labels as asserted by upstream TestEncryptionLabel, bitnami-labs/sealed-secrets
  // pkg/apis/sealedsecrets/v1alpha1/sealedsecret_test.go at v0.36.6 (6dc880366d1cafa16683173cc3c8e3b58e930937).
  test.each([
    [SealingScope.strict(), 'myns/myname'],
    [SealingScope.namespaceWide(), 'myns'],
    [SealingScope.clusterWide(), ''],
  ])('derives the upstream label for %s scope', (scope, label) => {
    expect(scope.label('myns', 'myname').toString('utf8')).toBe(label);
  });

  test('sets the upstream scope annotations (none for strict)', () => {
    expect(SealingScope.strict().annotations()).toEqual({});
    expect(SealingScope.namespaceWide().annotations()).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(SealingScope.clusterWide().annotations()).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
    expect([NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION]).toEqual(['sealedsecrets.bitnami.com/namespace-wide', 'sealedsecrets.bitnami.com/cluster-wide']);
  });

  test('fails to open a strict secret moved to another namespace', () => {
    // GIVEN a value sealed strictly for app/db-credentials
    const sealed = sealFor(SealingScope.strict());
    // WHEN the controller of namespace "other" tries to open it THEN decryption fails
    const error = errorOf(() => unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'db-credentials', namespace: 'other', scope: SealingScope.strict() }));
    expect(error.code).toBe(ErrorCode.UNSEAL_FAILED);
    expect(error.message).toMatch(/\[unseal other\/db-credentials\] "password" cannot be decrypted with this key as strict scope/);
  });

  test('fails to open a strict secret under another name', () => {
    const sealed = sealFor(SealingScope.strict());
    expect(errorOf(() => unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'renamed', namespace: 'app', scope: SealingScope.strict() })).code).toBe(ErrorCode.UNSEAL_FAILED);
  });

  test('fails to open a value under a different scope than it was sealed with', () => {
    const sealed = sealFor(SealingScope.strict());
    expect(errorOf(() => unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'db-credentials', namespace: 'app', scope: SealingScope.clusterWide() })).code).toBe(ErrorCode.UNSEAL_FAILED);
  });

  test('opens a namespace-wide secret under another name but fails in another namespace', () => {
    const sealed = sealFor(SealingScope.namespaceWide());
    const base = { privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, scope: SealingScope.namespaceWide() };
    expect(unseal({ ...base, name: 'renamed', namespace: 'app' }).password.toString()).toBe('hunter2');
    expect(errorOf(() => unseal({ ...base, name: 'db-credentials', namespace: 'other' })).code).toBe(ErrorCode.UNSEAL_FAILED);
  });

  test('opens a cluster-wide secret in any namespace under any name', () => {
    const sealed = sealFor(SealingScope.clusterWide());
    expect(unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'x', namespace: 'elsewhere', scope: SealingScope.clusterWide() }).password.toString()).toBe('hunter2');
  });

  test('fails to open with another private key', () => {
    const sealed = sealFor(SealingScope.strict());
    const other = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(errorOf(() => unseal({ privateKey: other, encryptedData: sealed.encryptedData, name: 'db-credentials', namespace: 'app', scope: SealingScope.strict() })).code).toBe(ErrorCode.UNSEAL_FAILED);
  });
});

describe('known answers', () => {
  // No upstream fixture pairs a sealed value with the private key that opens it: at v0.36.6
  // (6dc880366d1cafa16683173cc3c8e3b58e930937) the only committed certificate (testCert in
  // pkg/kubeseal/kubeseal_test.go) has no private key, every other upstream test generates its key
  // at run time, and the committed ciphertexts (vendor_jsonnet/kube-libsonnet/tests/golden/*.json)
  // come without a key. See docs/decisions/0060-offline-sealing.md. Instead:

  test('opens a value assembled independently from the upstream spec with the openssl CLI (RSA-OAEP, SHA-256 OAEP and MGF1 digests, label)', () => {
    // GIVEN a session key wrapped by the openssl CLI (not Node) for label "myns/myname"
    const dir = mkdtempSync(join(tmpdir(), 'seal-kat-'));
    try {
      const sessionKey = randomBytes(32);
      writeFileSync(join(dir, 'session.key'), sessionKey);
      const label = Buffer.from('myns/myname').toString('hex');
      execFileSync('openssl', ['pkeyutl', '-encrypt', '-certin', '-inkey', TEST_CERT_PATH, '-in', join(dir, 'session.key'), '-out', join(dir, 'rsa.bin'),
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256', '-pkeyopt', `rsa_oaep_label:${label}`]);
      const rsa = readFileSync(join(dir, 'rsa.bin'));
      // AND the upstream framing: uint16 BE length || RSA || AES-256-GCM(zero nonce) || tag
      const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
      const body = Buffer.concat([cipher.update('opened by openssl framing'), cipher.final(), cipher.getAuthTag()]);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(rsa.length);
      const value = Buffer.concat([length, rsa, body]).toString('base64');
      // WHEN unsealed THEN the plaintext comes back
      const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: { k: value }, name: 'myname', namespace: 'myns', scope: SealingScope.strict() });
      expect(opened.k.toString()).toBe('opened by openssl framing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('seals a session key that the openssl CLI unwraps with the label and SHA-256 digests', () => {
    // GIVEN a value sealed by seal()
    const value = Buffer.from(sealFor(SealingScope.namespaceWide(), { k: 'checked by openssl' }).encryptedData.k, 'base64');
    const dir = mkdtempSync(join(tmpdir(), 'seal-kat-'));
    try {
      writeFileSync(join(dir, 'rsa.bin'), value.subarray(2, 2 + value.readUInt16BE(0)));
      // WHEN the openssl CLI decrypts the RSA block with label "app" (namespace-wide)
      const sessionKey = execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', TEST_KEY_PATH, '-in', join(dir, 'rsa.bin'),
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256', '-pkeyopt', `rsa_oaep_label:${Buffer.from('app').toString('hex')}`]);
      // THEN it is a 32-byte AES-256 key that opens the GCM body with a zero nonce
      expect(sessionKey.length).toBe(32);
      const aes = value.subarray(2 + value.readUInt16BE(0));
      const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
      decipher.setAuthTag(aes.subarray(aes.length - 16));
      expect(Buffer.concat([decipher.update(aes.subarray(0, aes.length - 16)), decipher.final()]).toString()).toBe('checked by openssl');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('still opens a regression vector sealed on 2026-12-01 for myns/myname (strict) with the test key', () => {
    // Produced by this implementation (not by upstream) with test/fixtures/secrets/test-sealing.pem.
    const vector =
      'AgC9jDq+8YlQivwL/p9DGpbYlBOXo9gjFwxyjuiLIutlhMEfLtKRfFy88YvjqzDMnbAR7v2IiGUi+KW+h09nzFsreQSqQc5yRbi4J5hM18iWNBu4P6EjP/SMhhcm0Tu3MT7b1cY6FjTz6WxHJNc4r8ZXL3xuhhRNKFBUQlpYJvc7JlGZEg6ICl3b8INbnVl0P53EfGzQQWbEjSMC7OnopfpNjrc995O0XDYT77BjKXPSo6gygha8t7ntBct19hlfkgpgoW5OAyBnp65+QB48UTDNuqZH52pSK+cB6vnHcOXQ2VWO9if3NTMbxTD0Epo/n3ALUDwOFHEOF6ILr4oOuoHiMBo9aXzwtda7zQjQH8zJZwpX7Neohf6e09gH8vYXLshKkFStZXajG9o8UgxoeV7sockRqqFzcuqLmWJthjj/oRfkjlv2heqDVmEIAAz4a2Vmp2S8m9kYuBbUgDQHvmRJRzzxsNf1xHgCCes5ZoIdNHdQIVwQM/UOSEA+KTty3gtngig7Qo7milvxRzjxpY+BX9hvA7zqc0uZwOPHNHRFIgtcyGIrXyDJjtu9gnsuzTbprsT0heDg6OlYA3qwZqxOlt+iaxNTQ0366WZulp6sc7mljZ9imdx0USFq+d4vutFDYV6/bZBT0vtfEE9QuLB5TYGrjiQwwzpwQPLR4TZazt1yYsm2lWugVUZdNqQnxGPZMUXZPLwYu7ezn20=';
    const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: { foo: vector }, name: 'myname', namespace: 'myns', scope: SealingScope.strict() });
    expect(opened.foo.toString()).toBe('known answer');
  });

  test('reads the Node-side pieces the same way as the openssl CLI: the test certificate holds the test key', () => {
    // GIVEN a session key wrapped with the certificate's public key by Node
    const wrapped = publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('x'));
    // THEN the committed private key unwraps it
    expect(privateDecrypt({ key: TEST_PRIVATE_KEY, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped).toString()).toBe('x');
  });
});

describe('refusals', () => {
  test('fails on empty data', () => {
    const error = errorOf(() => sealFor(SealingScope.strict(), {}));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/\[seal app\/db-credentials\] no data to seal; give at least one key/);
  });

  test('fails on an empty key', () => {
    const error = errorOf(() => sealFor(SealingScope.strict(), { '': 'v' }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/Secret key "" is not valid/);
  });

  test('fails on a key a Secret cannot hold', () => {
    expect(errorOf(() => sealFor(SealingScope.strict(), { 'a/b': 'v' })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails on a name that is not a DNS-1123 subdomain', () => {
    const error = errorOf(() => seal({ certificate, name: 'DB_Credentials', namespace: 'app', data: { k: 'v' } }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/name "DB_Credentials" is not a DNS-1123 subdomain/);
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    const error = errorOf(() => seal({ certificate, name: 'db', namespace: 'app.prod', data: { k: 'v' } }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/namespace "app.prod" is not a DNS-1123 label/);
  });

  test('fails on a certificate whose key is not RSA', () => {
    const error = errorOf(() => SealingCertificate.fromFile(join(FIXTURES, 'test-ec.pem')));
    expect(error.code).toBe(ErrorCode.SEALING_KEY_UNSUPPORTED);
    expect(error.message).toMatch(/test-ec\.pem\] holds an EC key; the Sealed Secrets controller only decrypts with RSA-OAEP/);
  });

  test('fails on an RSA key shorter than 2048 bits', () => {
    const error = errorOf(() => SealingCertificate.fromFile(join(FIXTURES, 'test-rsa1024.pem')));
    expect(error.code).toBe(ErrorCode.SEALING_KEY_UNSUPPORTED);
    expect(error.message).toMatch(/holds a 1024-bit RSA key/);
  });

  test('fails on input that is not a PEM certificate (e.g. the private key)', () => {
    expect(errorOf(() => SealingCertificate.fromPem(TEST_PRIVATE_KEY, 'tls.key')).code).toBe(ErrorCode.SEALING_CERTIFICATE_INVALID);
  });

  test('fails on a certificate file that does not exist', () => {
    expect(errorOf(() => SealingCertificate.fromFile(join(FIXTURES, 'missing.pem'))).code).toBe(ErrorCode.SEALING_CERTIFICATE_INVALID);
  });

  test('fails on an expired certificate, and seals with it only when explicitly allowed', () => {
    // GIVEN a time after the test certificate's end of validity (2126)
    const now = new Date('2200-01-01T00:00:00Z');
    // WHEN sealing THEN it is refused with the expiry date
    const error = errorOf(() => seal({ certificate, name: 'db', namespace: 'app', data: { k: 'v' }, now }));
    expect(error.code).toBe(ErrorCode.SEALING_CERTIFICATE_EXPIRED);
    expect(error.message).toMatch(/certificate test-sealing\.pem expired on 2126-.*pass allowExpiredCertificate/);
    // AND with the override the value is sealed and still opens (the controller ignores expiry on decryption)
    const sealed = seal({ certificate, name: 'db', namespace: 'app', data: { k: 'v' }, now, allowExpiredCertificate: true });
    expect(unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: sealed.encryptedData, name: 'db', namespace: 'app', scope: SealingScope.strict() }).k.toString()).toBe('v');
  });

  test('fails on a certificate that expired in 2021 (the real clock)', () => {
    const expired = SealingCertificate.fromFile(join(FIXTURES, 'test-expired.pem'));
    expect(expired.isExpired()).toBe(true);
    const error = errorOf(() => seal({ certificate: expired, name: 'db', namespace: 'app', data: { k: 'v' } }));
    expect(error.code).toBe(ErrorCode.SEALING_CERTIFICATE_EXPIRED);
    expect(error.message).toMatch(/expired on 2021-01-01T00:00:00.000Z/);
  });

  test('fails on an unknown scope name', () => {
    expect(SealingScope.fromName('namespace-wide')).toBe(SealingScope.namespaceWide());
    const error = errorOf(() => SealingScope.fromName('global'));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/scope "global" is unknown; use strict, namespace-wide or cluster-wide/);
  });

  test('fails on imported encrypted data that is not base64', () => {
    const target = { name: 'db', namespace: 'app', scope: SealingScope.strict() };
    const error = errorOf(() => SealedData.fromEncrypted(target, { k: 'not base64!' }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/encryptedData "k" is not standard base64/);
  });

  test('fails on imported encrypted data without the Sealed Secrets framing', () => {
    const target = { name: 'db', namespace: 'app', scope: SealingScope.strict() };
    const error = errorOf(() => SealedData.fromEncrypted(target, { k: Buffer.from('plaintext by mistake').toString('base64') }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/encryptedData "k" is not a Sealed Secrets value/);
  });

  test('fails on a private key that cannot be read', () => {
    const sealed = sealFor(SealingScope.strict());
    expect(errorOf(() => unseal({ privateKey: TEST_CERT_PEM, encryptedData: sealed.encryptedData, name: 'db-credentials', namespace: 'app', scope: SealingScope.strict() })).code).toBe(ErrorCode.UNSEAL_FAILED);
  });
});
