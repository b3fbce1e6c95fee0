import { Construct } from 'constructs';
import { CertManager } from '../../lib/certs/cert-manager';
import { ErrorCode } from '../../lib/core/errors';
import { BAREMETAL_OPERATOR_CRDS, BAREMETAL_OPERATOR_NAMESPACE, BaremetalOperator } from '../../lib/management';
import { VersionSet } from '../../lib/versions/version-set';
import { thrownBy } from '../support/errors';
import { manifest, testCluster } from '../support/fleet';

describe('BaremetalOperator', () => {
  // GIVEN cert-manager in controllers and the operator in configs
  const { fleet, cluster } = testCluster('mgmt');
  const certManager = new CertManager(cluster.controllers, 'CertManager');
  const bmo = new BaremetalOperator(cluster.configs, 'Bmo', { certManager });
  const files = fleet.manifests().filter((m) => m.constructPath.startsWith('mgmt/configs/Bmo/'));

  test('matches the snapshot', () => {
    // THEN
    expect(Object.fromEntries(files.map((m) => [m.file, m.object]))).toMatchSnapshot();
  });

  test('installs the pinned release tag from upstream config/base', () => {
    // THEN
    const pinned = VersionSet.pinned().baremetalOperator;
    expect(bmo.version).toBe(pinned);
    const source = manifest(fleet, 'mgmt/configs/gitrepository-baremetal-operator.yaml');
    expect(source.spec).toMatchObject({ url: 'https://github.com/metal3-io/baremetal-operator', ref: { tag: pinned }, ignore: '/*\n!/config/base/\n' });
    expect(bmo.source.name).toBe('baremetal-operator');
  });

  test('the Kustomization pins the image tag, never prunes, health-checks every CRD and the manager', () => {
    // GIVEN
    const ks = manifest(fleet, 'mgmt/configs/kustomization-baremetal-operator.yaml');
    // THEN
    expect(ks.spec.images).toEqual([{ name: 'quay.io/metal3-io/baremetal-operator', newTag: bmo.version }]);
    expect(ks.spec.prune).toBe(false);
    expect(ks.spec.timeout).toBe('10m');
    expect(ks.spec.healthChecks.filter((h: any) => h.kind === 'CustomResourceDefinition').map((h: any) => h.name)).toEqual([...BAREMETAL_OPERATOR_CRDS]);
    expect(ks.spec.healthChecks).toContainEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'baremetal-operator-controller-manager', namespace: BAREMETAL_OPERATOR_NAMESPACE });
    expect(BAREMETAL_OPERATOR_CRDS).toHaveLength(9);
    expect(ks.spec.healthChecks[0]).toEqual({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'baremetalhosts.metal3.io' });
  });

  test('its namespace enforces the baseline Pod Security level', () => {
    // GIVEN
    const ns = manifest(fleet, 'mgmt/configs/namespace-baremetal-operator-system.yaml');
    // THEN
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('isBaremetalOperator recognises instances only', () => {
    // THEN
    expect(BaremetalOperator.isBaremetalOperator(bmo)).toBe(true);
    expect(BaremetalOperator.isBaremetalOperator(certManager)).toBe(false);
    expect(BaremetalOperator.isBaremetalOperator(undefined)).toBe(false);
  });

  test('fails when not created directly in a FluxLayer', () => {
    // GIVEN a group construct inside the configs layer
    const { cluster: c } = testCluster('mgmt');
    const cm = new CertManager(c.controllers, 'CertManager');
    // WHEN / THEN
    const err = thrownBy(() => new BaremetalOperator(new Construct(c.configs, 'Group') as never, 'Bmo', { certManager: cm }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('a BaremetalOperator must be created directly in a FluxLayer');
  });
});
