import { formatViolations, reconcileFleet } from '../../lib/reconcile/check';
import { ReconcileCode, type ReconcileViolation } from '../../lib/reconcile/types';
import { cluster, configMap, CREDS_INPUT, DEPLOYMENT, ns } from './_build';

describe('reconcileFleet', () => {
  test('returns the model, no violations and one README per cluster for a well-ordered fleet', () => {
    // GIVEN two clusters, each with a namespace in layer a and a ConfigMap in it in layer b
    const objects = { 'a/namespace-x.yaml': ns('x'), 'b/configmap-x-y.yaml': configMap('x', 'y') };
    // WHEN the fleet is replayed
    const report = reconcileFleet([cluster(objects, { name: 'one' }), cluster(objects, { name: 'two' })]);
    // THEN nothing is reported, the model holds both clusters and each gets its README
    expect(report.violations).toEqual([]);
    expect(report.model.clusters.map((c) => c.name)).toEqual(['one', 'two']);
    expect([...report.readmes.keys()]).toEqual(['one/README.md', 'two/README.md']);
    expect(report.readmes.get('two/README.md')).toMatch(/^# Cluster `two`\n/);
  });

  test('fails a fleet that would not come up, with the rule\'s code, its cluster and file', () => {
    // GIVEN a Deployment reading a Secret nothing creates
    const report = reconcileFleet([cluster({ 'a/deployment-app.yaml': DEPLOYMENT })]);
    // THEN one violation of the unresolved-reference rule, for that file and Kustomization
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]).toMatchObject({ code: ReconcileCode.UNRESOLVED_REFERENCE, cluster: 'c', file: 'dist/c/a/deployment-app.yaml', kustomization: 'flux-system/a' });
    // AND the README is still written, and lists the external input once it is declared
    expect(report.readmes.has('c/README.md')).toBe(true);
    const fixed = reconcileFleet([cluster({ 'a/deployment-app.yaml': DEPLOYMENT }, { inputs: [CREDS_INPUT] })]);
    expect(fixed.violations).toEqual([]);
    expect(fixed.readmes.get('c/README.md')).toContain('`default/creds`');
  });
});

describe('formatViolations', () => {
  test('one `[CODE] message` per violation, joined for an indented list', () => {
    // GIVEN two violations WHEN formatted THEN each line starts with its code in brackets
    const v = (code: ReconcileCode, message: string): ReconcileViolation => ({ code, cluster: 'c', file: 'dist/c/x.yaml', message });
    expect(formatViolations([v(ReconcileCode.NOT_APPLIED, 'first'), v(ReconcileCode.CRD_MISSING, 'second')])).toBe('[RECONCILE_NOT_APPLIED] first\n  [RECONCILE_CRD_MISSING] second');
    expect(formatViolations([])).toBe('');
  });
});
