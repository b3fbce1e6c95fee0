/**
 * The knowledge table reads CRD names from the pinned files; the fast scanner must agree with a
 * full YAML parse.
 */
import { CAPI_PROVIDER_CRDS, CHART_KNOWLEDGE, CONTROLLER_KNOWLEDGE, lockedCrdsUnder, UPSTREAM_RELEASES } from '../../lib/reconcile';
import { UpstreamCache } from '../../lib/upstream/lock';
import { field, parseYamlDocuments, stringField } from '../../lib/validation';

describe('reconcile knowledge', () => {
  const cache = UpstreamCache.default();

  test.each(['cert-manager/crds/', 'gateway-api/crds/standard/', 'capi-talos/', 'flux/crds/', 'external-secrets/crds/', 'external-snapshotter/crds/', 'rook-ceph/crds/', 'longhorn/crds/'])('reads the CRDs under %s like a full parse', (prefix) => {
    // GIVEN the locked files under the prefix, parsed in full
    const full: string[] = [];
    for (const f of cache.files((e) => e.path.startsWith(prefix) && /\.ya?ml$/.test(e.path))) {
      for (const d of parseYamlDocuments(cache.read(f.path), f.path)) {
        if (stringField(d, 'kind') === 'CustomResourceDefinition') full.push(`${stringField(field(d, 'metadata'), 'name')} ${stringField(field(d, 'spec'), 'group')} ${stringField(field(d, 'spec', 'names'), 'kind')}`);
      }
    }
    // THEN the scanner finds the same CRDs
    expect(lockedCrdsUnder(cache, prefix).map((c) => `${c.name} ${c.group} ${c.kind}`).sort()).toEqual(full.sort());
    expect(full.length).toBeGreaterThan(0);
  });

  test('every entry cites its upstream source, and every folder it names is in the lock', () => {
    for (const k of [...CONTROLLER_KNOWLEDGE, ...CHART_KNOWLEDGE, ...UPSTREAM_RELEASES]) expect(k.source.length).toBeGreaterThan(10);
    const folders = [...Object.values(CAPI_PROVIDER_CRDS), ...UPSTREAM_RELEASES.flatMap((u) => (u.crds ? [u.crds] : [])), ...CHART_KNOWLEDGE.flatMap((c) => (c.crds ? [c.crds] : []))];
    for (const folder of folders) expect({ folder, crds: lockedCrdsUnder(cache, folder).length > 0 }).toEqual({ folder, crds: true });
  });
});
