import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { seal, SealedData, sealCommand, SealingCertificate, SealingScope, SealInput, SecretType, unseal } from '../../lib/secrets';
import { thrownBy } from '../support/errors';
import { TEST_CERT_PEM, TEST_PRIVATE_KEY } from './_keys';

const certificate = SealingCertificate.fromPem(TEST_CERT_PEM, 'test-sealing.pem');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'infraflux-sealed-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

describe('SealedData.fromFile', () => {
  test('reads the SealedSecret `npm run seal` prints: target, scope and ciphertext, which still opens', () => {
    // GIVEN a value sealed namespace-wide and written as the CLI writes it (toManifest)
    const sealed = seal({ certificate, name: 'cloudflare-api-token', namespace: 'external-dns', scope: SealingScope.namespaceWide(), data: { 'api-token': 'REPLACE-ME' } });
    const path = write('ns-wide.yaml', sealed.toManifest());
    // WHEN it is read back
    const read = SealedData.fromFile(path);
    // THEN the target and scope come from the manifest, and the ciphertext decrypts to the value
    expect({ name: read.name, namespace: read.namespace, scope: read.scope.name, keys: read.keys }).toEqual({ name: 'cloudflare-api-token', namespace: 'external-dns', scope: 'namespace-wide', keys: ['api-token'] });
    const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: read.encryptedData, name: read.name, namespace: read.namespace, scope: read.scope });
    expect(opened['api-token'].toString('utf8')).toBe('REPLACE-ME');
  });

  test('reads strict and cluster-wide scope from the annotations', () => {
    const strict = SealedData.fromFile(write('strict.yaml', seal({ certificate, name: 'a', namespace: 'b', data: { k: 'v' } }).toManifest()));
    const wide = SealedData.fromFile(write('wide.yaml', seal({ certificate, name: 'a', namespace: 'b', scope: SealingScope.clusterWide(), data: { k: 'v' } }).toManifest()));
    expect([strict.scope.name, wide.scope.name]).toEqual(['strict', 'cluster-wide']);
  });

  test('fails on a missing file, naming the command that creates it', () => {
    // GIVEN the command of a Terraform-sourced token
    const command = sealCommand({
      cluster: 'mgmt',
      name: 'cloudflare-api-token',
      namespace: 'external-dns',
      inputs: [SealInput.terraformOutput('api-token', 'cdktf.out/stacks/cloudflare-dns', 'external_dns_token')],
      out: 'clusters/mgmt/sealed/external-dns.cloudflare-api-token.yaml',
    });
    // WHEN the file is read but does not exist
    const e = thrownBy(() => SealedData.fromFile(join(dir, 'absent.yaml'), { command }));
    // THEN the error says so and prints the exact command, Terraform pipe included
    expect(e.code).toBe(ErrorCode.SEALED_FILE_MISSING);
    expect(e.message).toContain(
      'terraform -chdir=cdktf.out/stacks/cloudflare-dns output -raw external_dns_token | npm run -s seal -- --cluster mgmt --name cloudflare-api-token --namespace external-dns --from-stdin api-token --out clusters/mgmt/sealed/external-dns.cloudflare-api-token.yaml',
    );
  });

  test('fails on a file that is not YAML', () => {
    expect(thrownBy(() => SealedData.fromFile(write('broken.yaml', 'a: [b'))).code).toBe(ErrorCode.SEALED_FILE_INVALID);
  });

  test('fails on the --raw map (no target) and on another kind', () => {
    const raw = seal({ certificate, name: 'a', namespace: 'b', data: { k: 'v' } }).encryptedData;
    const e = thrownBy(() => SealedData.fromFile(write('raw.yaml', raw)));
    expect(e.code).toBe(ErrorCode.SEALED_FILE_INVALID);
    expect(e.message).toMatch(/is not a bitnami.com\/v1alpha1 SealedSecret/);
    expect(thrownBy(() => SealedData.fromFile(write('secret.yaml', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'b' }, stringData: { k: 'v' } }))).code).toBe(ErrorCode.SEALED_FILE_INVALID);
  });

  test('fails on two documents and on a SealedSecret without encryptedData', () => {
    const m = seal({ certificate, name: 'a', namespace: 'b', data: { k: 'v' } }).toManifest();
    expect(thrownBy(() => SealedData.fromFile(write('two.yaml', `${stringify(m)}---\n${stringify(m)}`))).message).toMatch(/holds 2 YAML documents/);
    const e = thrownBy(() => SealedData.fromFile(write('empty.yaml', { ...m, spec: {} })));
    expect(e.code).toBe(ErrorCode.SEALED_FILE_INVALID);
    expect(e.message).toMatch(/has no spec.encryptedData/);
  });

  test('fails on plaintext pasted as encryptedData (framing check of fromEncrypted)', () => {
    const m = seal({ certificate, name: 'a', namespace: 'b', data: { k: 'v' } }).toManifest() as { spec: Record<string, unknown> };
    const e = thrownBy(() => SealedData.fromFile(write('plain.yaml', { ...m, spec: { ...m.spec, encryptedData: { k: Buffer.from('REPLACE-ME').toString('base64') } } })));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/is not a Sealed Secrets value/);
  });
});

describe('sealCommand', () => {
  test('files, type and scope', () => {
    expect(
      sealCommand({
        cluster: 'mgmt',
        name: 'prod-aws-flux-git',
        namespace: 'prod-aws',
        scope: SealingScope.namespaceWide(),
        type: SecretType.of('addons.cluster.x-k8s.io/resource-set'),
        inputs: [SealInput.fromFile('flux-git.yaml', './prod-aws-flux-git.yaml')],
        out: 'clusters/mgmt/sealed/prod-aws.prod-aws-flux-git.yaml',
      }),
    ).toBe(
      'npm run -s seal -- --cluster mgmt --name prod-aws-flux-git --namespace prod-aws --scope namespace-wide --type addons.cluster.x-k8s.io/resource-set --from-file flux-git.yaml=./prod-aws-flux-git.yaml --out clusters/mgmt/sealed/prod-aws.prod-aws-flux-git.yaml',
    );
  });

  test('fails with two inputs on stdin', () => {
    const e = thrownBy(() =>
      sealCommand({ cluster: 'mgmt', name: 'x', namespace: 'y', inputs: [SealInput.fromCommand('a', 'echo a'), SealInput.fromCommand('b', 'echo b')], out: 'x.yaml' }),
    );
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/2 inputs read stdin \(a, b\)/);
  });
});
