import { UpstreamCache } from '../../lib/upstream/lock';
import { allowedFields, allowedHint, allowedValueKeys } from '../../lib/validation/allowed-keys';
import { derivedPack } from '../../lib/validation/schema-pack';
import { SchemaRegistry } from '../../lib/validation/schema-registry';

// GIVEN the verified repository cache and the pack derived from it (both already loaded by the registry)
const registry = SchemaRegistry.default();
const cache = UpstreamCache.default();
const pack = derivedPack(cache);
const packRegistry = pack ? new SchemaRegistry(pack) : undefined;

describe('allowedHint', () => {
  test('suggests the closest key and lists the allowed ones, sorted and deduplicated', () => {
    expect(allowedHint('rellay', ['relay', 'hubble', 'relay', 'ui'])).toBe('did you mean "relay"? allowed here: hubble, relay, ui');
  });

  test('gives no guess when nothing is close, and nothing at all when there are no keys', () => {
    expect(allowedHint('completelydifferent', ['a', 'b'])).toBe('allowed here: a, b');
    expect(allowedHint('x', [])).toBeUndefined();
  });

  test('shows at most 12 keys and says how many there are', () => {
    const keys = Array.from({ length: 15 }, (_, i) => `key${String(i).padStart(2, '0')}`);
    expect(allowedHint('zzzzzzzzzzzzzzzzzzzz', keys)).toBe(`allowed here: ${keys.slice(0, 12).join(', ')}, ... (15 keys)`);
  });

  test('matches case-insensitively', () => {
    expect(allowedHint('ReplicaCount', ['replicacount', 'image'])).toMatch(/^did you mean "replicacount"\?/);
  });
});

describe('allowedFields', () => {
  // The repository cache path parses the pinned file (swagger.json, the CRD YAML) on every call, so
  // it is asked once per kind of source; the pack path (converted schemas in memory) covers the rest.
  test('lists the fields of a core kind next to an unknown one, from swagger.json and from the pack', () => {
    // GIVEN an unknown field under a Namespace's spec WHEN asked THEN NamespaceSpec's fields
    expect(allowedFields(registry, cache, 'v1', 'Namespace', '/spec/foo')).toEqual(['finalizers']);
    expect(packRegistry).toBeDefined();
    expect(allowedFields(packRegistry!, pack!, 'v1', 'Namespace', '/spec/foo')).toEqual(['finalizers']);
    expect(allowedFields(packRegistry!, pack!, 'v1', 'ConfigMap', '/foo')).toEqual(expect.arrayContaining(['apiVersion', 'binaryData', 'data', 'immutable', 'kind', 'metadata']));
  });

  test('lists the fields of a CRD kind, with apiVersion/kind/metadata at the top', () => {
    // GIVEN unknown fields at the top and inside a list item of a Gatekeeper SyncSet (a small pinned CRD file)
    const top = allowedFields(registry, cache, 'syncset.gatekeeper.sh/v1alpha1', 'SyncSet', '/bogus');
    expect(top.sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    // THEN list items are followed through `items`
    const item = allowedFields(registry, cache, 'syncset.gatekeeper.sh/v1alpha1', 'SyncSet', '/spec/gvks/0/knd');
    expect(item.sort()).toEqual(['group', 'kind', 'version']);
    // AND the pack (converted schemas) gives the same fields
    expect(allowedFields(packRegistry!, pack!, 'syncset.gatekeeper.sh/v1alpha1', 'SyncSet', '/spec/gvks/0/knd').sort()).toEqual(item);
    expect(allowedFields(packRegistry!, pack!, 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization', '/spec/sourceRef/nam')).toEqual(expect.arrayContaining(['kind', 'name', 'namespace']));
  });

  test('gives [] when it cannot tell: an unknown kind or a path the schema does not have', () => {
    expect(allowedFields(registry, cache, 'example.com/v1', 'Bogus', '/spec/x')).toEqual([]);
    expect(allowedFields(packRegistry!, pack!, 'v1', 'Namespace', '/nothere/deeper/x')).toEqual([]);
  });
});

describe('allowedValueKeys', () => {
  test('lists the chart value keys next to an unknown one, from values.yaml and values.schema.json', () => {
    // GIVEN a typo at the top of metallb's values (a small pinned chart with a values schema)
    const top = allowedValueKeys(cache, 'metallb', '/confgInLine');
    // THEN keys of values.yaml (tls) and keys only the schema declares (configInLine) are both allowed
    expect(top).toEqual(expect.arrayContaining(['configInLine', 'tls', 'controller', 'speaker']));
    // AND nested keys come from the map at the parent pointer (asked from the pack, which holds the same files)
    expect(allowedValueKeys(pack!, 'metallb', '/controller/logLevl')).toEqual(expect.arrayContaining(['logLevel', 'image', 'webhookMode']));
  });

  test('gives [] for a chart that is not pinned', () => {
    expect(allowedValueKeys(cache, 'not-a-pinned-chart', '/x')).toEqual([]);
  });

  test('answers the same from the shipped pack as from the cache', () => {
    expect(pack).toBeDefined();
    expect(allowedValueKeys(pack!, 'metallb', '/confgInLine').sort()).toEqual(allowedValueKeys(cache, 'metallb', '/confgInLine').sort());
  });
});
