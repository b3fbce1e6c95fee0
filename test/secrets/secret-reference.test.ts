import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../lib/core/errors';
import { SecretProvenanceName } from '../../lib/core/external-input';
import { SecretKeyReference, SecretProvenance, SecretReference } from '../../lib/secrets/secret-reference';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

const scope = () => new Chart(Testing.app(), 'dns');

describe('SecretReference', () => {
  test('fromSealedSecret records name, namespace, provenance, the producer and the keys', () => {
    // GIVEN the construct that emits the SealedSecret
    const producer = new Chart(Testing.app(), 'sealed');
    // WHEN
    const ref = SecretReference.fromSealedSecret('pve', 'lab', producer, ['token']);
    // THEN
    expect([ref.name, ref.namespace, ref.producer, ref.keys]).toEqual(['pve', 'lab', producer, ['token']]);
    expect(ref.provenance).toBe(SecretProvenance.SEALED);
    expect(ref.provenance.name).toBe('sealed');
    expect(ref.toString()).toBe('lab/pve (sealed)');
  });

  test('fromExternalSecret without a producer', () => {
    // GIVEN
    const ref = SecretReference.fromExternalSecret('gcp-sa', 'gke');
    // THEN
    expect(ref.provenance).toBe(SecretProvenance.EXTERNAL);
    expect(ref.provenance.producedBy).toBe('an ExternalSecret');
    expect(ref.producer).toBeUndefined();
    expect([ref.name, ref.namespace]).toEqual(['gcp-sa', 'gke']);
  });

  test('generatedBy and fromExternalInput carry their provenance', () => {
    // GIVEN a controller-made Secret and a bootstrap root
    const controller = new Chart(Testing.app(), 'capi');
    const kubeconfig = SecretReference.generatedBy('prod-kubeconfig', 'prod', controller, ['value']);
    const root = SecretReference.fromExternalInput('flux-system', 'flux-system');
    // THEN
    expect([kubeconfig.provenance, kubeconfig.producer]).toEqual([SecretProvenance.GENERATED, controller]);
    expect([root.provenance, root.producer, root.keys]).toEqual([SecretProvenance.EXTERNAL_INPUT, undefined, undefined]);
    expect(Object.values(SecretProvenanceName).sort()).toEqual(['external', 'external-input', 'generated', 'sealed']);
  });

  test("use() records the use on the consumer's cluster, once", () => {
    // GIVEN a consumer inside a GitOpsCluster
    const { cluster } = testCluster('c1');
    const consumer = new Chart(cluster.controllers, 'Consumer');
    const ref = SecretReference.fromSealedSecret('token', 'dns');
    // WHEN it uses the Secret twice for the same purpose
    ref.use(consumer, 'apiToken');
    ref.use(consumer, 'apiToken');
    // THEN the cluster holds one record with the claimed provenance
    expect(cluster.secretUses).toEqual([{ name: 'token', namespace: 'dns', provenance: 'sealed', consumer: `${consumer.node.path} (apiToken)` }]);
  });

  test('use() outside any cluster validates without recording', () => {
    expect(SecretReference.fromExternalSecret('s', 'ns').use(scope(), 'x').name).toBe('s');
  });

  test('fails on a consumer that reads Secrets from another namespace', () => {
    // WHEN a Secret in `dns` is given to a consumer that reads only `cert-manager`
    const err = thrownBy(() => SecretReference.fromSealedSecret('token', 'dns').use(scope(), 'apiToken', 'cert-manager'));
    // THEN the error names the Secret, both namespaces and what to do
    expect(err.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
    expect(err.constructPath).toBe('dns');
    expect(err.message).toContain('apiToken Secret dns/token is in namespace "dns", but the consumer reads Secrets only from "cert-manager"');
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    const err = thrownBy(() => SecretReference.fromSealedSecret('token', 'Bad_NS').use(scope(), 'apiToken'));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('apiToken secret namespace "Bad_NS"');
  });

  test('fails on a key the Secret is known not to carry', () => {
    // GIVEN a Secret with known keys
    const ref = SecretReference.fromSealedSecret('db', 'app', undefined, ['password']);
    // WHEN another key is asked for
    const err = thrownBy(() => ref.key('user'));
    // THEN
    expect(err.code).toBe(ErrorCode.SECRET_KEY_UNKNOWN);
    expect(err.constructPath).toBe('Secret app/db');
    expect(err.message).toContain('Secret app/db (sealed) has no key "user"; it has password');
  });
});

describe('SecretKeyReference', () => {
  test('records the Secret and key; toSelector gives { name, key }', () => {
    // GIVEN / WHEN
    const ref = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');
    // THEN
    expect(ref).toBeInstanceOf(SecretKeyReference);
    expect([ref.secretName, ref.key, ref.secret.provenance]).toEqual(['cloudflare-api-token', 'api-token', SecretProvenance.SEALED]);
    expect(ref.toSelector()).toEqual({ name: 'cloudflare-api-token', key: 'api-token' });
  });

  test('use accepts valid names and keys and returns the reference', () => {
    // GIVEN
    const ref = SecretReference.fromExternalSecret('creds.v1', 'ns').key('AWS_ACCESS_KEY_ID');
    // THEN
    expect(ref.use(scope(), 'credentials')).toBe(ref);
    expect(SecretReference.fromExternalSecret('s', 'ns').key('.dot-file_1').use(scope(), 'x')).toBeDefined();
  });

  test('fails on a Secret name that is not a DNS-1123 subdomain', () => {
    // WHEN
    const err = thrownBy(() => SecretReference.fromSealedSecret('Token', 'ns').key('k').use(scope(), 'apiToken'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('[dns] apiToken secret name "Token" is not a DNS-1123 subdomain');
  });

  test.each(['', 'a/b', 'with space', 'k'.repeat(254)])('fails on the Secret key %j', (key) => {
    // WHEN
    const err = thrownBy(() => SecretReference.fromSealedSecret('token', 'ns').key(key).use(scope(), 'apiToken'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`apiToken secret key "${key}" is not a valid Secret key`);
  });

  test('a plain string does not compile where a secret reference is required', () => {
    // The type system is the check: `npm test` runs tsc over this file, and each call below is a
    // compile error; an unused @ts-expect-error is itself an error, so the test fails if one compiles.
    const takesKey = (ref: SecretKeyReference): string => typeof ref;
    const takesSecret = (ref: SecretReference): string => typeof ref;
    // @ts-expect-error a Secret name is not a SecretKeyReference
    expect(takesKey('cloudflare-api-token')).toBe('string');
    // @ts-expect-error a Secret name is not a SecretReference
    expect(takesSecret('prod-aws-credentials')).toBe('string');
    // @ts-expect-error a look-alike object without the Secret and its provenance is not a SecretKeyReference
    expect(takesKey({ secretName: 'x', key: 'k', toSelector: () => ({ name: 'x', key: 'k' }) })).toBe('object');
  });
});
