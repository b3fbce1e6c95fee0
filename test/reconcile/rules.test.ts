/**
 * The rules of lib/reconcile/rules.ts on replayed small fleets: one failing fleet per rule
 * (ReconcileCode), each broken in exactly one way. reconcile-model.test.ts runs the same rules
 * end to end through reconcileFleet(); these check the rule's own wording and fields.
 */
import { buildReconcileModel } from '../../lib/reconcile/reconcile-model';
import { checkReconcileRules } from '../../lib/reconcile/rules';
import { ReconcileCode, type ReconcileClusterInput, type ReconcileViolation } from '../../lib/reconcile/types';
import { cluster, configMap, CREDS_INPUT, DEPLOYMENT, kustomization, ns, WIDGET, WIDGET_CRD, type Obj } from './_build';

const check = (...clusters: ReconcileClusterInput[]): ReconcileViolation[] => checkReconcileRules(buildReconcileModel(clusters));

const certManagerRelease: Record<string, Obj> = {
  'a/namespace-cert-manager.yaml': ns('cert-manager'),
  'a/helmrelease-cert-manager.yaml': {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'cert-manager', namespace: 'cert-manager' },
    spec: { chart: { spec: { chart: 'cert-manager', version: 'v1.21.1', sourceRef: { kind: 'HelmRepository', name: 'jetstack', namespace: 'flux-system' } } }, values: { crds: { enabled: true } } },
  },
  'flux-system/helmrepository-jetstack.yaml': { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'jetstack', namespace: 'flux-system' }, spec: { url: 'https://charts.jetstack.io' } },
};

describe('checkReconcileRules', () => {
  test('reports nothing for a fleet that comes up in order', () => {
    // GIVEN a namespace in layer a, a ConfigMap in it in layer b, and a Deployment whose Secret is declared
    const ok = cluster({ 'a/namespace-x.yaml': ns('x'), 'b/configmap-x-y.yaml': configMap('x', 'y'), 'a/deployment-app.yaml': DEPLOYMENT }, { inputs: [CREDS_INPUT] });
    // THEN no rule fires (and the declared input counts as used)
    expect(check(ok)).toEqual([]);
  });

  test('fails a file no Kustomization applies (NOT_APPLIED)', () => {
    const [v] = check(cluster({ 'elsewhere/configmap-default-y.yaml': configMap('default', 'y') }));
    expect(v).toEqual({ code: ReconcileCode.NOT_APPLIED, cluster: 'c', file: 'dist/c/elsewhere/configmap-default-y.yaml', message: 'dist/c/elsewhere/configmap-default-y.yaml is applied by no Flux Kustomization of the fleet; Flux would never create it' });
  });

  test('fails a Kustomization that depends on one that does not exist (NEVER_READY)', () => {
    // GIVEN layer b depending on a Kustomization nobody defines
    const vs = check(cluster({}, { b: { wait: true, dependsOn: [{ name: 'ghost', namespace: 'flux-system' }] } }));
    // THEN b never starts, and the message names the missing dependency
    expect(vs.map((v) => [v.code, v.kustomization])).toEqual([[ReconcileCode.NEVER_READY, 'flux-system/b']]);
    expect(vs[0]?.message).toBe('Kustomization flux-system/b (Kustomization flux-system/b) never starts: it depends on flux-system/ghost, which no Kustomization of cluster c is');
  });

  test('fails Kustomizations that wait for each other (NEVER_READY, a dependsOn cycle)', () => {
    const vs = check(cluster({}, { a: { wait: true, dependsOn: [{ name: 'b', namespace: 'flux-system' }] } }));
    expect(vs.map((v) => v.code)).toEqual([ReconcileCode.NEVER_READY, ReconcileCode.NEVER_READY]);
    expect(vs.map((v) => v.file)).toEqual(['dist/c/flux-system/kustomization-a.yaml', 'dist/c/flux-system/kustomization-b.yaml']);
    expect(vs[0]?.message).toMatch(/never starts: it depends on flux-system\/b, which never becomes Ready \(a dependsOn or wait cycle\)/);
  });

  test('fails a Kustomization whose content the model does not know (UNKNOWN_CONTENT)', () => {
    // GIVEN a Kustomization applying a path of an unknown Git repository
    const repo: Obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'other', namespace: 'flux-system' }, spec: { url: 'https://example.com/unknown' } };
    const k: Obj = { ...kustomization('other', './deploy'), spec: { path: './deploy', prune: true, wait: true, sourceRef: { kind: 'GitRepository', name: 'other', namespace: 'flux-system' } } };
    const vs = check(cluster({ 'a/gitrepository-other.yaml': repo, 'a/kustomization-other.yaml': k }));
    expect(vs.map((v) => [v.code, v.kustomization])).toEqual([[ReconcileCode.UNKNOWN_CONTENT, 'flux-system/other']]);
    expect(vs[0]?.message).toMatch(/^Kustomization flux-system\/other \(Kustomization flux-system\/other\): .*is no upstream release the model knows/);
  });

  test('fails an object whose namespace is created later, naming what creates it (NAMESPACE_MISSING)', () => {
    const vs = check(cluster({ 'a/configmap-x-y.yaml': configMap('x', 'y'), 'b/namespace-x.yaml': ns('x') }));
    expect(vs.map((v) => [v.code, v.file, v.kustomization])).toEqual([[ReconcileCode.NAMESPACE_MISSING, 'dist/c/a/configmap-x-y.yaml', 'flux-system/a']]);
    expect(vs[0]?.message).toContain('namespace "x" does not exist when it is applied (the server-side dry run fails with namespaces "x" not found); it is provided by');
    expect(vs[0]?.message).toContain('which is not applied before it. Apply the object with or after what creates its namespace');
  });

  test('fails an object whose namespace nothing creates, pointing at declareExternalInput (NAMESPACE_MISSING)', () => {
    const [v] = check(cluster({ 'a/configmap-x-y.yaml': configMap('nowhere', 'y') }));
    expect(v?.code).toBe(ReconcileCode.NAMESPACE_MISSING);
    expect(v?.message).toContain('nothing in the fleet provides it; add it, or declare it with GitOpsCluster.declareExternalInput()');
  });

  test('fails a custom resource applied before its CRD (CRD_MISSING)', () => {
    const vs = check(cluster({ 'a/widget-w.yaml': WIDGET, 'b/crd-widgets.yaml': WIDGET_CRD }));
    expect(vs.map((v) => v.code)).toEqual([ReconcileCode.CRD_MISSING]);
    expect(vs[0]?.message).toMatch(/^dist\/c\/a\/widget-w\.yaml \(Kustomization flux-system\/a\): kind example\.com\/Widget is not served on cluster c when it is applied \(no matches for kind "Widget"\)/);
  });

  test('fails a custom resource next to the HelmRelease that installs its CRD (CRD_FROM_SAME_KUSTOMIZATION)', () => {
    const issuer: Obj = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } };
    const vs = check(cluster({ ...certManagerRelease, 'a/clusterissuer-selfsigned.yaml': issuer }));
    expect(vs.map((v) => [v.code, v.file])).toEqual([[ReconcileCode.CRD_FROM_SAME_KUSTOMIZATION, 'dist/c/a/clusterissuer-selfsigned.yaml']]);
    expect(vs[0]?.message).toContain('is installed by dist/c/a/helmrelease-cert-manager.yaml in the same Kustomization');
  });

  test('fails a Secret reference nothing provides (UNRESOLVED_REFERENCE)', () => {
    const vs = check(cluster({ 'a/deployment-app.yaml': DEPLOYMENT }));
    expect(vs.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(vs[0]?.message).toMatch(/names Secret default\/creds, which does not exist before it is needed; nothing in the fleet provides it/);
  });

  test('fails a class nothing provides (UNRESOLVED_CLASS)', () => {
    const pvc: Obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'default' }, spec: { storageClassName: 'fast' } };
    const vs = check(cluster({ 'a/persistentvolumeclaim-p.yaml': pvc }));
    expect(vs.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_CLASS]);
    expect(vs[0]?.message).toMatch(/names StorageClass fast, which does not exist before it is needed/);
  });

  test('fails a health check on an object nothing creates (HEALTH_CHECK_TARGET)', () => {
    const vs = check(cluster({ 'a/namespace-x.yaml': ns('x') }, { a: { healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost', namespace: 'x' }] } }));
    expect(vs.map((v) => [v.code, v.file])).toEqual([[ReconcileCode.HEALTH_CHECK_TARGET, 'dist/c/flux-system/kustomization-a.yaml']]);
    expect(vs[0]?.message).toContain('health-checks Deployment x/ghost, which nothing it applies (or applied before it) creates, so it never becomes Ready');
  });

  test('fails a declared external input nothing uses (UNUSED_EXTERNAL_INPUT)', () => {
    const vs = check(cluster({}, { inputs: [CREDS_INPUT] }));
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({ code: ReconcileCode.UNUSED_EXTERNAL_INPUT, cluster: 'c', file: 'dist/c/' });
    expect(vs[0]?.message).toMatch(/^external input Secret default\/creds of cluster c \(.*\) is declared but nothing in the fleet uses it; remove the declaration$/);
  });

  test('sorts violations by cluster, then file, then code', () => {
    // GIVEN two clusters, the later name listed first, each with two problems
    const broken = (name: string) => cluster({ 'a/deployment-app.yaml': DEPLOYMENT, 'elsewhere/configmap-default-y.yaml': configMap('default', 'y') }, { name });
    const vs = check(broken('zeta'), broken('alpha'));
    // THEN alpha comes first, and within a cluster the files are in order
    expect(vs.map((v) => `${v.cluster} ${v.file}`)).toEqual([
      'alpha dist/alpha/a/deployment-app.yaml',
      'alpha dist/alpha/elsewhere/configmap-default-y.yaml',
      'zeta dist/zeta/a/deployment-app.yaml',
      'zeta dist/zeta/elsewhere/configmap-default-y.yaml',
    ]);
  });
});
