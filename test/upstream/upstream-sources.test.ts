/**
 * Without a mirror, `npm run upstream` downloads each file from its recorded URL and derives the
 * pack's bytes from it (a chart archive member, or one CRD document of a release manifest). The
 * network is not reachable here, so these tests feed the same derivations with inputs built from
 * the verified cache and require the exact locked sha256.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { crdDocument, parseSourceUrl, tgzMember } from '../../scripts/_upstream-fetch';
import { sha256, UpstreamCache } from '../../lib/upstream/lock';

const cache = UpstreamCache.default();

describe('upstream sources', () => {
  test('parses archive members and CRD-document URLs from the lock', () => {
    const values = parseSourceUrl(cache.entry('cilium/chart/values.yaml').url!);
    expect(values).toEqual({ url: expect.stringMatching(/cilium-1\.20\.0\.tgz$/), member: 'cilium/values.yaml', crdDocument: false });
    const crd = parseSourceUrl(cache.entry('flux/crds/source.toolkit.fluxcd.io_buckets.yaml').url!);
    expect(crd).toEqual({ url: expect.stringMatching(/source-controller\.yaml$/), crdDocument: true });
  });

  test('takes a chart file out of its .tgz byte for byte', () => {
    // GIVEN a chart archive holding the pinned values.yaml, like `helm package` writes
    const dir = mkdtempSync(join(tmpdir(), 'chart-'));
    mkdirSync(join(dir, 'cilium'));
    writeFileSync(join(dir, 'cilium', 'values.yaml'), cache.read('cilium/chart/values.yaml'));
    writeFileSync(join(dir, 'cilium', 'Chart.yaml'), 'name: cilium\n');
    const archive = join(dir, 'cilium-1.20.0.tgz');
    create({ gzip: true, file: archive, cwd: dir, sync: true }, ['cilium']);
    // WHEN the member is extracted THEN it has the locked sha256
    expect(sha256(tgzMember(readFileSync(archive), 'cilium/values.yaml'))).toBe(cache.entry('cilium/chart/values.yaml').sha256);
    expect(() => tgzMember(readFileSync(archive), 'cilium/missing.yaml')).toThrow(/archive has no member cilium\/missing.yaml/);
  });

  test('cuts each CRD document verbatim out of a release manifest', () => {
    // GIVEN source-controller's manifest shape: other objects around the CRD documents
    const crds = cache.files((f) => f.path.startsWith('flux/crds/source.toolkit.fluxcd.io_'));
    const manifest = [
      '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
      ...crds.map((f) => cache.read(f.path)),
      '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: source-controller\n',
    ].join('');
    // THEN every CRD file comes out with its locked sha256
    for (const f of crds) expect({ path: f.path, sha: sha256(crdDocument(manifest, f.path)) }).toEqual({ path: f.path, sha: f.sha256 });
    expect(() => crdDocument(manifest, 'flux/crds/source.toolkit.fluxcd.io_nothings.yaml')).toThrow(/no CustomResourceDefinition nothings.source.toolkit.fluxcd.io/);
  });
});
