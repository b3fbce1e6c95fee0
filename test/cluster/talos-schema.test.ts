import { talosConfigSchemaPath, TALOS_CONFIG_SCHEMA_PATH, validateTalosDocument, validateTalosPatchesInManifests } from '../../lib/cluster';
import { ErrorCode } from '../../lib/core/errors';
import { UpstreamCache } from '../../lib/upstream/lock';
import { VersionSet } from '../../lib/versions/version-set';
import { thrownBy } from '../support/errors';

describe('talosConfigSchemaPath', () => {
  test('one schema per Talos minor', () => {
    // THEN
    expect(talosConfigSchemaPath('v1.12.11')).toBe('talos/v1.12/config.schema.json');
    expect(talosConfigSchemaPath('1.11.0')).toBe('talos/v1.11/config.schema.json');
  });

  test('the pinned path is a schema pinned in the upstream lock, of the pinned Talos minor', () => {
    // GIVEN the pinned Talos version
    const talos = VersionSet.pinned().talos;
    // THEN its minor names the path, and the lock pins that file
    expect(TALOS_CONFIG_SCHEMA_PATH).toMatch(/^talos\/v\d+\.\d+\/config\.schema\.json$/);
    expect(talos.startsWith(TALOS_CONFIG_SCHEMA_PATH.split('/')[1] + '.')).toBe(true);
    expect(() => UpstreamCache.default().entry(TALOS_CONFIG_SCHEMA_PATH)).not.toThrow();
  });

  test('fails on a Talos version that is not exact', () => {
    // GIVEN a range WHEN the path is computed THEN INVALID_PROP
    const err = thrownBy(() => talosConfigSchemaPath('v1.12'));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[talos-schema] Talos version "v1.12" is not an exact version; use e.g. v1.12.11');
  });
});

describe('validateTalosDocument (pinned Talos schema)', () => {
  test('accepts a partial v1alpha1 patch and a Layer2VIPConfig document', () => {
    // THEN
    expect(validateTalosDocument({ cluster: { network: { cni: { name: 'none' } }, proxy: { disabled: true } } })).toEqual([]);
    expect(validateTalosDocument({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '192.168.10.10', link: 'ens18' })).toEqual([]);
  });

  test('reports an unknown field with its path', () => {
    // GIVEN a typo in a v1alpha1 patch WHEN validated
    const problems = validateTalosDocument({ machine: { kubelett: {} } });
    // THEN the problem names the unknown property
    expect(problems.some((p) => p.includes('/machine') && p.includes('(kubelett)'))).toBe(true);
  });

  test('reports a wrong type', () => {
    // THEN
    expect(validateTalosDocument({ cluster: { allowSchedulingOnControlPlanes: 'yes' } }).join('\n')).toContain('/cluster/allowSchedulingOnControlPlanes must be boolean');
  });
});

describe('validateTalosDocument: schema dialect', () => {
  test('a document of an unknown kind is reported on its kind', () => {
    // GIVEN a kind the schema does not define WHEN validated THEN the kind is named
    expect(validateTalosDocument({ apiVersion: 'v1alpha1', kind: 'NoSuchConfig' })).toContain('/kind must be equal to one of the allowed values');
  });

  test('fails on a pinned schema that is not JSON Schema 2020-12', () => {
    // GIVEN a cache whose Talos schema declares draft-07
    const cache = { read: () => JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }) } as unknown as UpstreamCache;
    // WHEN a document is validated with it
    const err = thrownBy(() => validateTalosDocument({}, cache));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('declares $schema http://json-schema.org/draft-07/schema#; InfraFlux validates Talos patches with JSON Schema 2020-12 only');
    expect(err.constructPath).toBe(`upstream/${TALOS_CONFIG_SCHEMA_PATH}`);
  });
});

describe('validateTalosPatchesInManifests', () => {
  test('checks the strategic patches of TalosControlPlane and TalosConfigTemplate only', () => {
    // GIVEN one good control-plane patch, one bad worker patch and an unrelated object
    const manifests = [
      { file: 'tcp.yaml', object: { kind: 'TalosControlPlane', spec: { controlPlaneConfig: { controlplane: { strategicPatches: ['cluster:\n  proxy:\n    disabled: true\n'] } } } } },
      { file: 'tct.yaml', object: { kind: 'TalosConfigTemplate', spec: { template: { spec: { strategicPatches: ['machine:\n  install:\n    disk: /dev/sda\n', 'machine:\n  nope: 1\n'] } } } } },
      { file: 'cm.yaml', object: { kind: 'ConfigMap', spec: { template: { spec: { strategicPatches: ['machine:\n  nope: 1\n'] } } } } },
    ];
    // WHEN
    const { checked, issues } = validateTalosPatchesInManifests(manifests);
    // THEN
    expect(checked).toBe(3);
    expect(issues).toHaveLength(1);
    expect(issues[0].file).toBe('tct.yaml');
    expect(issues[0].patchIndex).toBe(1);
    expect(issues[0].problems.join('\n')).toContain('(nope)');
  });
});
