import { Chart, Testing } from 'cdk8s';
import { SecretReference, SecretSource } from '../../lib/secrets/credentials';

describe('SecretReference', () => {
  test('fromSealedSecret records name, namespace, source and the producer', () => {
    // GIVEN the construct that emits the SealedSecret
    const producer = new Chart(Testing.app(), 'sealed');
    // WHEN
    const ref = SecretReference.fromSealedSecret('pve', 'lab', producer);
    // THEN
    expect(ref.name).toBe('pve');
    expect(ref.namespace).toBe('lab');
    expect(ref.source).toBe(SecretSource.SEALED_SECRET);
    expect(ref.source.kind).toBe('SealedSecret');
    expect(ref.producer).toBe(producer);
  });

  test('fromExternalSecret without a producer', () => {
    // GIVEN
    const ref = SecretReference.fromExternalSecret('gcp-sa', 'gke');
    // THEN
    expect(ref.source).toBe(SecretSource.EXTERNAL_SECRET);
    expect(ref.source.kind).toBe('ExternalSecret');
    expect(ref.producer).toBeUndefined();
    expect([ref.name, ref.namespace]).toEqual(['gcp-sa', 'gke']);
  });
});
