/**
 * validateDirectory (infraflux/validation): any tree of YAML/JSON manifests, InfraFlux-written or not.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, validateDirectory, ValidationRule } from '../../lib/validation';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'validate-dir-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('validateDirectory', () => {
  test('validates every document of a hand-written tree, skipping kustomize config files', () => {
    // GIVEN a tree with a multi-document file, a JSON file and a kustomization.yaml
    const dir = tree({
      'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [all.yaml]\n',
      'app/all.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: web, namespace: web }\ndata: { a: b }\n',
      'app/extra.json': JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'web' } }),
    });
    // WHEN validated
    const report = validateDirectory(dir);
    // THEN all three objects are valid and the kustomize file is reported as skipped
    expect(report.issues).toEqual([]);
    expect(report.objectsValidated).toBe(3);
    expect(report.files).toEqual(['app/all.yaml', 'app/extra.json', 'app/kustomization.yaml']);
    expect(report.skipped).toEqual([{ file: 'app/kustomization.yaml', reason: 'kustomize configuration, not a Kubernetes object' }]);
  });

  test('fails unknown fields, unknown kinds and unparsable files, naming the file', () => {
    const dir = tree({
      'c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: default }\ndataa: {}\n',
      'c/bogus.yaml': 'apiVersion: example.com/v1\nkind: Bogus\nmetadata: { name: b }\n',
      'c/broken.yaml': 'a: [\n',
    });
    const report = validateDirectory(dir);
    expect(report.issues.map((i) => [i.rule, formatIssue(i)])).toEqual([
      [ValidationRule.SCHEMA, expect.stringMatching(/^c\/broken\.yaml: \/: cannot parse: /)],
      [ValidationRule.UNKNOWN_KIND, 'Bogus b (c/bogus.yaml): /: no pinned schema for example.com/v1 Bogus'],
      [ValidationRule.SCHEMA, 'ConfigMap default/x (c/cm.yaml): /dataa: unknown field "dataa" (not in the pinned schema)'],
    ]);
  });
});
