import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/upstream/lock';
import { VersionSet } from '../../lib/versions';
import { renderVersionsDoc, VERSIONS_DOC } from '../../scripts/docs-versions';

describe('docs/versions.md', () => {
  test('is up to date with the VersionSet (run `npm run docs:versions` after a bump)', () => {
    const onDisk = readFileSync(join(projectRoot(), VERSIONS_DOC), 'utf8');
    expect(onDisk).toBe(renderVersionsDoc());
  });

  test('is deterministic', () => {
    expect(renderVersionsDoc()).toBe(renderVersionsDoc());
  });

  test('a version bump changes the matrix row, so a stale file would fail the test above', () => {
    const bumped = renderVersionsDoc(VersionSet.of({ capa: 'v2.11.2' }));
    expect(bumped).not.toBe(renderVersionsDoc());
    expect(bumped).toContain('| `capa` | Infrastructure provider AWS (CAPA) | kubernetes-sigs/cluster-api-provider-aws | `v2.11.2` |');
  });

  test('lists every rule and says the pinned set is valid', () => {
    const doc = renderVersionsDoc();
    for (const id of ['exact-version', 'kubernetes-range', 'talos-providers', 'capi-v1beta1-control-plane', 'rke2-version']) {
      expect(doc).toContain(`| \`${id}\` |`);
    }
    expect(doc).toContain('Pinned set: valid');
    expect(renderVersionsDoc(VersionSet.of({ talos: 'v1.13.9' }))).toContain('Pinned set: INVALID: talos "v1.13.9"');
  });
});
