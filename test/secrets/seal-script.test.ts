import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SealedData, SealingScope, unseal } from '../../lib/secrets';
import { validateObjects, formatIssue } from '../../lib/validation';
import { FIXTURES, TEST_CERT_PATH, TEST_PRIVATE_KEY } from './_keys';
import { sealCli } from '../../scripts/_seal-cli';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'seal.ts');

/**
 * Runs `npm run -s seal -- …` as npm does (scripts/seal.ts under tsx's loader, in one Node process
 * rather than through the tsx CLI, which would start a second), with `stdin` piped in.
 */
function runSeal(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, input: stdin, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same command in this process (what the CLI runs), with `stdin` as the piped input. */
function sealHere(args: string[], stdin = '') {
  return sealCli(args, async () => Buffer.from(stdin, 'utf8'));
}

describe('npm run seal', () => {
  test('the CLI seals a value piped in on stdin into a SealedSecret that unseals at its target', () => {
    // GIVEN a token piped in (as `terraform output -raw cloudflare_token | npm run -s seal -- …`)
    const token = 'cf-token-3c9d0e77-not-real';
    // WHEN sealed namespace-wide with the test certificate
    const result = runSeal(['--cert', TEST_CERT_PATH, '--name', 'cloudflare-api-token', '--namespace', 'cert-manager', '--scope', 'namespace-wide', '--from-stdin', 'token'], token);
    // THEN stdout is a schema-valid SealedSecret without the plaintext, nothing is logged
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(token);
    const object = parse(result.stdout);
    expect(object.metadata).toEqual({ name: 'cloudflare-api-token', namespace: 'cert-manager', annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' } });
    expect(validateObjects([{ source: 'stdout', object }]).issues.map(formatIssue)).toEqual([]);
    // AND the exact bytes come back with the private key (no newline added or stripped)
    const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: object.spec.encryptedData, name: 'any-name', namespace: 'cert-manager', scope: SealingScope.namespaceWide() });
    expect(opened.token.toString('utf8')).toBe(token);
  });

  test('prints only encryptedData with --raw, from literals and files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seal-cli-'));
    try {
      writeFileSync(join(dir, 'ca.crt'), Buffer.from([0, 10, 255]));
      const result = await sealHere(['--cert', TEST_CERT_PATH, '--name', 'db', '--namespace', 'app', '--raw', '--from-literal', 'password=p=ss', '--from-file', `ca.crt=${join(dir, 'ca.crt')}`]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const raw = parse(result.stdout);
      expect(Object.keys(raw)).toEqual(['ca.crt', 'password']);
      const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: raw, name: 'db', namespace: 'app', scope: SealingScope.strict() });
      expect(opened.password.toString()).toBe('p=ss');
      expect([...opened['ca.crt']]).toEqual([0, 10, 255]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--out writes the SealedSecret to a file (folders created) and prints nothing; SealedData.fromFile reads it back', async () => {
    // GIVEN a target path in a folder that does not exist yet
    const dir = mkdtempSync(join(tmpdir(), 'seal-out-'));
    try {
      const target = join(dir, 'sealed', 'app.db.yaml');
      // WHEN sealed with --out
      const result = await sealHere(['--cert', TEST_CERT_PATH, '--name', 'db', '--namespace', 'app', '--from-literal', 'password=p', '--out', target]);
      // THEN stdout is empty and the file is the sealed data for that target
      expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
      const data = SealedData.fromFile(target);
      expect([data.name, data.namespace, data.keys]).toEqual(['db', 'app', ['password']]);
      expect(unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: { ...data.encryptedData }, name: 'db', namespace: 'app', scope: SealingScope.strict() }).password.toString()).toBe('p');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails on a certificate that is not RSA, with the error code and no plaintext', async () => {
    const result = await sealHere(['--cert', join(FIXTURES, 'test-ec.pem'), '--name', 'db', '--namespace', 'app', '--from-literal', 'password=do-not-print-me']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^seal: \[.*test-ec\.pem\] holds an EC key.*\(INFRAFLUX_SEALING_KEY_UNSUPPORTED\)\n$/);
    expect(result.stderr).not.toContain('do-not-print-me');
  });

  test('fails on an expired certificate unless --allow-expired-cert is given', async () => {
    const args = ['--cert', join(FIXTURES, 'test-expired.pem'), '--name', 'db', '--namespace', 'app', '--from-literal', 'k=v'];
    const refused = await sealHere(args);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/expired on 2021-01-01.*--allow-expired-cert.*\(INFRAFLUX_SEALING_CERTIFICATE_EXPIRED\)/);
    const allowed = await sealHere([...args, '--allow-expired-cert']);
    expect(allowed.status).toBe(0);
    // a 2048-bit key: the RSA block is 256 bytes
    expect(Buffer.from(parse(allowed.stdout).spec.encryptedData.k, 'base64').readUInt16BE(0)).toBe(256);
  });

  test('fails on bad usage with exit code 2: missing namespace, empty stdin, a cluster without a committed certificate', async () => {
    const missing = runSeal(['--cert', TEST_CERT_PATH, '--name', 'db', '--from-literal', 'password=do-not-print-me']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^seal: --namespace is required/);
    expect(missing.stderr).not.toContain('do-not-print-me');
    const empty = await sealHere(['--cert', TEST_CERT_PATH, '--name', 'db', '--namespace', 'app', '--from-stdin', 'token'], '');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--from-stdin token: stdin was empty \(did the command before the pipe fail\?\)/);
    const noCert = await sealHere(['--cluster', 'no-such-cluster', '--name', 'db', '--namespace', 'app', '--from-literal', 'k=v']);
    expect(noCert.status).toBe(1);
    expect(noCert.stderr).toMatch(/clusters\/no-such-cluster\/sealed-secrets\.pem\] cannot be read.*\(INFRAFLUX_SEALING_CERTIFICATE_INVALID\)/);
  });
});
