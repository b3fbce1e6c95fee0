/**
 * `infraflux validate`: exit 0 on the committed reference dist/, exit 1 with a readable report on
 * a tree with one injected defect of each kind the schema harness and the reconcile model check.
 */
import { join } from 'node:path';
import { captureIo, formatTreeValidation, runCli, validateClusters } from '../../lib/cli';
import { referenceFleet } from '../support/reference-fleet';
import { cleanTree, ksz, writeTree, type Tree } from './_trees';

const ROOT = join(__dirname, '..', '..');

async function validate(dir: string, ...flags: string[]) {
  const io = captureIo(ROOT);
  const code = await runCli(['validate', dir, ...flags], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const clean = cleanTree();
const CONFIGMAP = clean['c/apps/configmap-settings.yaml'];

/** [what is injected, the tree, the check:rule the report must name, a phrase of its message]. */
const DEFECTS: [string, Tree, string, RegExp][] = [
  ['an unknown field', { ...clean, 'c/apps/configmap-settings.yaml': `${CONFIGMAP}spec: {x: 1}\n` }, 'schema:schema', /unknown field "spec" \(not in the pinned schema\)/],
  ['a kind without a schema', { ...clean, 'c/apps/widget-w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: web}\n' }, 'schema:unknown-kind', /no pinned schema for example.com\/v1 Widget/],
  ['a duplicate object', { ...clean, 'c/apps/configmap-settings2.yaml': CONFIGMAP }, 'schema:duplicate', /duplicate object: ConfigMap web\/settings/],
  ['a file that does not parse', { ...clean, 'c/apps/broken.yaml': 'a: [\n' }, 'schema:unreadable', /cannot parse/],
  [
    'a HelmRelease of an unpinned chart',
    {
      ...clean,
      'c/apps/helmrepository-r.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: r, namespace: web}\nspec: {interval: 1h, url: https://charts.example.com}\n',
      'c/apps/helmrelease-x.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: x, namespace: web}\nspec: {interval: 10m, chart: {spec: {chart: nope, version: 1.0.0, sourceRef: {kind: HelmRepository, name: r, namespace: web}}}}\n',
    },
    'schema:helm-release',
    /chart nope is not pinned/,
  ],
  ['an object in a missing namespace', { ...clean, 'c/apps/configmap-settings.yaml': CONFIGMAP.replace('namespace: web', 'namespace: ghost') }, 'reconcile:RECONCILE_NAMESPACE_MISSING', /namespace "ghost" does not exist/],
  ['a kind whose CRD never comes', { ...clean, 'c/apps/widget-w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: web}\n' }, 'reconcile:RECONCILE_CRD_MISSING', /kind example.com\/Widget is not served/],
  ['a file no Kustomization applies', { ...clean, 'c/other/configmap-o.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: o, namespace: web}\n' }, 'reconcile:RECONCILE_NOT_APPLIED', /applied by no Flux Kustomization/],
  ['a dependency on nothing', { ...clean, 'c/flux-system/kustomization-apps.yaml': ksz('apps', './dist/c/apps', 'wait: true, dependsOn: [{name: nothing}]') }, 'reconcile:RECONCILE_NEVER_READY', /never starts: it depends on flux-system\/nothing/],
  [
    'a health check on nothing',
    { ...clean, 'c/flux-system/kustomization-apps.yaml': ksz('apps', './dist/c/apps', 'healthChecks: [{apiVersion: apps/v1, kind: Deployment, name: ghost, namespace: web}]') },
    'reconcile:RECONCILE_HEALTH_CHECK_TARGET',
    /health-checks Deployment web\/ghost/,
  ],
  [
    'an undeclared Secret reference',
    { ...clean, 'c/flux-system/gitrepository-flux-system.yaml': clean['c/flux-system/gitrepository-flux-system.yaml'].replace('ref: {branch: main}', 'ref: {branch: main}, secretRef: {name: flux-system}') },
    'reconcile:RECONCILE_UNRESOLVED_REFERENCE',
    /secretRef.name names Secret/,
  ],
];

describe('infraflux validate', () => {
  test('the reference fleet validates with no problem (the committed dist/, objects shared in memory)', () => {
    // GIVEN the reference fleet's objects and declared inputs, as the CLI reads them from dist/
    // (dist.test.ts proves the committed dist/ is exactly this render; parsing is covered below)
    const { fleet, manifests } = referenceFleet();
    const tree = {
      unreadable: [],
      clusters: fleet.clusters.map((c) => ({ name: c.name, manifests: manifests.filter((m) => m.file.startsWith(`${c.name}/`)).map((m) => ({ file: m.file, object: m.object })), externalInputs: c.externalInputs })),
    };
    // WHEN both checks run THEN no problem, every object and Kustomization counted
    const v = validateClusters(tree, 'dist');
    expect(v.problems).toEqual([]);
    expect(v.clusters).toHaveLength(6);
    expect(v.objectsValidated).toBe(manifests.length);
    expect(formatTreeValidation(v, captureIo(ROOT))).toMatch(/^infraflux validate dist\n {2}schema harness: {2}\d{3,} objects, \d+ HelmReleases, 0 problem\(s\)\n {2}reconcile model: 6 cluster\(s\), \d{3} Kustomizations, 0 problem\(s\)\n\nOK: no problems$/);
  });

  test('exits 0 on a small clean tree (the base of the defect fixtures)', async () => {
    expect((await validate(writeTree(clean))).code).toBe(0);
  });

  test.each(DEFECTS)('fails with a readable report on %s', async (_what, tree, rule, message) => {
    // GIVEN the clean tree with one injected defect WHEN validated
    const { code, out } = await validate(writeTree(tree));
    // THEN exit 1, the problem is under its cluster with its check, rule, file and message
    expect(code).toBe(1);
    expect(out).toContain('\ncluster c\n');
    expect(out).toContain(`[${rule}]`);
    expect(out).toMatch(message);
    expect(out).toMatch(/FAILED: \d+ problem\(s\)$/);
  });

  test('--json gives the problems as data', async () => {
    const { code, out } = await validate(writeTree(DEFECTS[5][1]), '--json');
    const doc = JSON.parse(out);
    expect(code).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.problems).toEqual([expect.objectContaining({ check: 'reconcile', rule: 'RECONCILE_NAMESPACE_MISSING', cluster: 'c', file: 'c/apps/configmap-settings.yaml' })]);
  });

  test('fails with usage exit 2 on a missing directory and an unknown command', async () => {
    expect((await validate('no-such-dir')).code).toBe(2);
    const io = captureIo(ROOT);
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/unknown command "frobnicate"[\s\S]*Usage: infraflux/);
  });
});
