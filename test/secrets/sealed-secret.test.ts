import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ErrorCode } from '../../lib/core/errors';
import { SealedData, SealedSecret, seal, SealingCertificate, SealingScope, SecretProvenance, SecretType, unseal } from '../../lib/secrets';
import { formatIssue, validateObjects } from '../../lib/validation';
import { errorOf, TEST_CERT_PEM, TEST_PRIVATE_KEY } from './_keys';

const certificate = SealingCertificate.fromPem(TEST_CERT_PEM, 'test-sealing.pem');

/** A fixed sealed value (see seal.test.ts: regression vector for myns/myname) so snapshots are deterministic. */
const VECTOR =
  'AgC9jDq+8YlQivwL/p9DGpbYlBOXo9gjFwxyjuiLIutlhMEfLtKRfFy88YvjqzDMnbAR7v2IiGUi+KW+h09nzFsreQSqQc5yRbi4J5hM18iWNBu4P6EjP/SMhhcm0Tu3MT7b1cY6FjTz6WxHJNc4r8ZXL3xuhhRNKFBUQlpYJvc7JlGZEg6ICl3b8INbnVl0P53EfGzQQWbEjSMC7OnopfpNjrc995O0XDYT77BjKXPSo6gygha8t7ntBct19hlfkgpgoW5OAyBnp65+QB48UTDNuqZH52pSK+cB6vnHcOXQ2VWO9if3NTMbxTD0Epo/n3ALUDwOFHEOF6ILr4oOuoHiMBo9aXzwtda7zQjQH8zJZwpX7Neohf6e09gH8vYXLshKkFStZXajG9o8UgxoeV7sockRqqFzcuqLmWJthjj/oRfkjlv2heqDVmEIAAz4a2Vmp2S8m9kYuBbUgDQHvmRJRzzxsNf1xHgCCes5ZoIdNHdQIVwQM/UOSEA+KTty3gtngig7Qo7milvxRzjxpY+BX9hvA7zqc0uZwOPHNHRFIgtcyGIrXyDJjtu9gnsuzTbprsT0heDg6OlYA3qwZqxOlt+iaxNTQ0366WZulp6sc7mljZ9imdx0USFq+d4vutFDYV6/bZBT0vtfEE9QuLB5TYGrjiQwwzpwQPLR4TZazt1yYsm2lWugVUZdNqQnxGPZMUXZPLwYu7ezn20=';

function fixed(scope: SealingScope, name = 'myname', namespace = 'myns', keys = ['foo']): SealedData {
  // The OAEP label binds namespace/name only, not the key: the same value may sit under any key.
  return SealedData.fromEncrypted({ name, namespace, scope }, Object.fromEntries(keys.map((k) => [k, VECTOR])));
}

function synthOne(build: (chart: ReturnType<typeof Testing.chart>) => void): Record<string, any> {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

/**
 * Unseals a synthesized SealedSecret the way the v0.36.6 controller does: the scope comes from the
 * SealedSecret's own metadata.annotations (upstream `labelFor(s.GetObjectMeta())` in `Unseal`), the
 * label from its metadata.name/namespace.
 */
function unsealLikeController(object: Record<string, any>): Record<string, string> {
  const annotations: Record<string, string> = object.metadata.annotations ?? {};
  const scope = annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true'
    ? SealingScope.clusterWide()
    : annotations['sealedsecrets.bitnami.com/namespace-wide'] === 'true' ? SealingScope.namespaceWide() : SealingScope.strict();
  const opened = unseal({ privateKey: TEST_PRIVATE_KEY, encryptedData: object.spec.encryptedData, name: object.metadata.name, namespace: object.metadata.namespace, scope });
  return Object.fromEntries(Object.entries(opened).map(([k, v]) => [k, v.toString('utf8')]));
}

describe('SealedSecret', () => {
  test('emits a strict SealedSecret shaped like kubeseal output, valid against the pinned CRD', () => {
    // GIVEN data sealed strictly for myns/myname
    // WHEN a SealedSecret is made from it with a TLS template
    const object = synthOne((chart) => new SealedSecret(chart, 'Tls', {
      encryptedData: fixed(SealingScope.strict(), 'myname', 'myns', ['tls.crt', 'tls.key']),
      template: { type: SecretType.TLS, labels: { app: 'web' }, annotations: { 'reflector/skip': 'true' } },
    }));
    // THEN it has the sealed target, no scope annotations, and the template metadata
    expect(object).toEqual({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'myname', namespace: 'myns' },
      spec: {
        encryptedData: { 'tls.crt': VECTOR, 'tls.key': VECTOR },
        template: { metadata: { name: 'myname', namespace: 'myns', labels: { app: 'web' }, annotations: { 'reflector/skip': 'true' } }, type: 'kubernetes.io/tls' },
      },
    });
    expect(object).toMatchSnapshot();
    // AND it validates against the pinned sealed-secrets CRD
    const report = validateObjects([{ source: 'sealedsecret-myname.yaml', object }]);
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.objectsValidated).toBe(1);
  });

  test('is checked by the schema harness for real: an unknown spec field is reported', () => {
    // GIVEN a valid SealedSecret WHEN a field the pinned CRD does not define is added
    const object = synthOne((chart) => new SealedSecret(chart, 'S', { encryptedData: fixed(SealingScope.strict()) }));
    const broken = { ...object, spec: { ...object.spec, plaintext: { foo: 'bar' } } };
    // THEN validation reports it (so the "valid" assertions above can fail)
    expect(validateObjects([{ source: 'broken.yaml', object: broken }]).issues.map(formatIssue).join('\n')).toMatch(/plaintext/);
  });

  test.each([
    ['namespace-wide', SealingScope.namespaceWide(), 'sealedsecrets.bitnami.com/namespace-wide'],
    ['cluster-wide', SealingScope.clusterWide(), 'sealedsecrets.bitnami.com/cluster-wide'],
  ])('sets the %s annotation on the object and on the template, schema-valid', (_name, scope, annotation) => {
    const object = synthOne((chart) => new SealedSecret(chart, 'S', { encryptedData: fixed(scope), sealingScope: scope }));
    expect(object.metadata.annotations).toEqual({ [annotation]: 'true' });
    expect(object.spec.template.metadata.annotations).toEqual({ [annotation]: 'true' });
    expect(object.spec.template.type).toBe('Opaque');
    expect(object).toMatchSnapshot();
    expect(validateObjects([{ source: 's.yaml', object }]).issues.map(formatIssue)).toEqual([]);
  });

  test.each([
    ['strict', SealingScope.strict(), {}],
    ['namespace-wide (renamed)', SealingScope.namespaceWide(), { name: 'renamed' }],
    ['cluster-wide (moved and renamed)', SealingScope.clusterWide(), { name: 'renamed', namespace: 'elsewhere' }],
  ])('emits a %s SealedSecret that the controller logic decrypts', (_name, scope, target) => {
    // GIVEN values sealed with seal() for app/db
    const sealed = seal({ certificate, name: 'db', namespace: 'app', scope, data: { password: 'hunter2', user: 'app' } });
    // WHEN a SealedSecret is made from them (moved where the scope allows it)
    const object = synthOne((chart) => new SealedSecret(chart, 'Db', { encryptedData: sealed, ...target }));
    // THEN the controller's label derivation from the synthesized object opens every value
    expect(unsealLikeController(object)).toEqual({ password: 'hunter2', user: 'app' });
    expect(JSON.stringify(object)).not.toContain('hunter2');
  });

  test('exposes a sealed secret reference with name, namespace, keys and provenance', () => {
    const chart = Testing.chart();
    const sealedSecret = new SealedSecret(chart, 'Db', { encryptedData: seal({ certificate, name: 'db', namespace: 'app', data: { password: 'p', user: 'u' } }) });
    const ref = sealedSecret.secretRef;
    expect([ref.name, ref.namespace, ref.keys, ref.provenance, ref.producer]).toEqual(['db', 'app', ['password', 'user'], SecretProvenance.SEALED, sealedSecret]);
    expect(ref.key('password').toSelector()).toEqual({ name: 'db', key: 'password' });
    expect(ref.key('password').secret).toBe(ref);
  });

  test('keeps the API object reachable: node.defaultChild and addJsonPatch', () => {
    const object = synthOne((chart) => {
      const s = new SealedSecret(chart, 'S', { encryptedData: fixed(SealingScope.strict()) });
      expect(s.node.defaultChild).toBe(s.resource);
      ApiObject.of(s.resource).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'platform' }));
    });
    expect(object.metadata.labels).toEqual({ team: 'platform' });
  });

  test('SealedData.toManifest() gives the same object as the construct', () => {
    const data = fixed(SealingScope.namespaceWide());
    const template = { immutable: true, labels: { app: 'db' } };
    const object = synthOne((chart) => new SealedSecret(chart, 'S', { encryptedData: data, template }));
    expect(data.toManifest(template)).toEqual(object);
    expect(object.spec.template.immutable).toBe(true);
    expect(validateObjects([{ source: 's.yaml', object }]).issues.map(formatIssue)).toEqual([]);
  });

  test('fails on a strict SealedSecret in another namespace than it was sealed for', () => {
    // GIVEN data sealed strictly for myns/myname
    const chart = Testing.chart();
    // WHEN placed in namespace "other" THEN it is refused: the controller could not decrypt it
    const error = errorOf(() => new SealedSecret(chart, 'Moved', { encryptedData: fixed(SealingScope.strict()), namespace: 'other' }));
    expect(error.code).toBe(ErrorCode.SEALED_TARGET_MISMATCH);
    expect(error.message).toMatch(/\[test\/Moved\] namespace "other" differs from "myns", the namespace the data was sealed for in strict scope/);
    expect(error.message).toMatch(/npm run seal -- --name myname --namespace other --scope strict/);
  });

  test('fails on a strict SealedSecret with another name than it was sealed for', () => {
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'Renamed', { encryptedData: fixed(SealingScope.strict()), name: 'renamed' }));
    expect(error.code).toBe(ErrorCode.SEALED_TARGET_MISMATCH);
    expect(error.message).toMatch(/name "renamed" differs from "myname", the name the data was sealed for in strict scope/);
  });

  test('fails on a namespace-wide SealedSecret in another namespace', () => {
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'S', { encryptedData: fixed(SealingScope.namespaceWide()), namespace: 'other' }));
    expect(error.code).toBe(ErrorCode.SEALED_TARGET_MISMATCH);
  });

  test('fails on a sealing scope other than the one the data was sealed with', () => {
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'S', { encryptedData: fixed(SealingScope.strict()), sealingScope: SealingScope.clusterWide() }));
    expect(error.code).toBe(ErrorCode.SEALED_TARGET_MISMATCH);
    expect(error.message).toMatch(/scope cluster-wide differs from the scope the data was sealed with \(strict\)/);
  });

  test('fails on a scope annotation set by hand in the template', () => {
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'S', {
      encryptedData: fixed(SealingScope.strict()),
      template: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } },
    }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/template annotation "sealedsecrets.bitnami.com\/cluster-wide" may not be set by hand/);
  });

  test('fails on a Secret type whose required keys are not sealed', () => {
    // GIVEN data with key "foo" only WHEN the Secret is typed kubernetes.io/tls THEN the API server would reject it: refused
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'S', { encryptedData: fixed(SealingScope.strict()), template: { type: SecretType.TLS } }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/\[test\/S\] a kubernetes.io\/tls Secret needs the key\(s\) tls.crt, tls.key; the sealed data has foo/);
    // AND basic-auth needs one of username/password; SecretType.of() finds the built-in type
    expect(errorOf(() => new SealedSecret(Testing.chart(), 'B', { encryptedData: fixed(SealingScope.strict()), template: { type: SecretType.of('kubernetes.io/basic-auth') } })).message)
      .toMatch(/needs at least one of the keys username, password/);
    expect(() => new SealedSecret(Testing.chart(), 'P', { encryptedData: fixed(SealingScope.strict(), 'myname', 'myns', ['password']), template: { type: SecretType.BASIC_AUTH } })).not.toThrow();
  });

  test('fails on an empty Secret type', () => {
    expect(errorOf(() => SecretType.of(' ')).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails on an invalid name', () => {
    const error = errorOf(() => new SealedSecret(Testing.chart(), 'S', { encryptedData: fixed(SealingScope.clusterWide()), name: 'Not_A_Name' }));
    expect(error.code).toBe(ErrorCode.INVALID_PROP);
    expect(error.message).toMatch(/\[test\/S\] name "Not_A_Name" is not a DNS-1123 subdomain/);
  });

  test('fails on a key the SealedSecret does not carry', () => {
    const s = new SealedSecret(Testing.chart(), 'S', { encryptedData: fixed(SealingScope.strict()) });
    const error = errorOf(() => s.secretRef.key('password'));
    expect(error.code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
    expect(error.message).toMatch(/^\[test\/S\]/);
    expect(error.message).toMatch(/Secret myns\/myname \(sealed\) has no key "password"; it has foo/);
  });
});
