import { externalInputsFromReadme, renderClusterReadme } from '../../lib/reconcile/cluster-readme';
import { buildReconcileModel, type ClusterModel, type FleetModel, type KustomizationNode } from '../../lib/reconcile/reconcile-model';
import type { ExternalInput } from '../../lib/reconcile/types';
import { cluster, configMap, CREDS_INPUT, DEPLOYMENT, ns } from './_build';

/** The README of cluster `c` of a replayed small fleet. */
function readmeOf(objects: Parameters<typeof cluster>[0], inputs: ExternalInput[] = []): string {
  const model = buildReconcileModel([cluster(objects, { inputs })]);
  return renderClusterReadme(model.byName.get('c') as ClusterModel, model);
}

/** A hand-built Kustomization node, for cases a replay cannot produce cheaply. */
function node(id: string, extra: Partial<KustomizationNode> & { spec?: Record<string, unknown> } = {}): KustomizationNode {
  const { spec, ...rest } = extra;
  return { id, file: `x/${id}.yaml`, object: { spec: spec ?? { path: `./dist/x/${id}` } }, cluster: 'x', target: 'x', applied: [], dependsOn: [], wait: false, waitsFor: [], ...rest } as KustomizationNode;
}

function model(c: Partial<ClusterModel>): { c: ClusterModel; m: FleetModel } {
  const cm = { name: 'x', kustomizations: [], externalInputs: [], base: new Set<string>(), notApplied: [], ...c } as ClusterModel;
  return { c: cm, m: { clusters: [cm], byName: new Map([['x', cm]]) } as unknown as FleetModel };
}

describe('renderClusterReadme', () => {
  test('lists the Kustomizations by wave with their path, content and readiness, and graphs them', () => {
    // GIVEN a namespace in layer a and a ConfigMap in layer b (which depends on a)
    const text = readmeOf({ 'a/namespace-x.yaml': ns('x'), 'b/configmap-x-y.yaml': configMap('x', 'y') });
    // THEN the title, the bootstrap note for a cluster bootstrapped by hand and the waves in order
    expect(text).toMatch(/^# Cluster `c`\n/);
    expect(text).toContain("Before wave 1: the Flux controllers and CRDs (`flux install`), `kubectl apply -f` of this cluster's `flux-system/`");
    const rows = text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['`flux-system/flux-system`', '`flux-system/a`', '`flux-system/b`']);
    expect(rows[0]).toContain('| `./dist/c/flux-system` | 4 object(s) | 1 health check(s) pass |');
    expect(rows[2]).toContain('| `./dist/c/b` | 1 object(s) | every object is Ready (`wait`) |');
    // AND the graph: the root applies the layers, a is Ready before b
    expect(text).toContain('  k_flux_system_flux_system -->|applies| k_flux_system_a');
    expect(text).toContain('  k_flux_system_a -.->|Ready before| k_flux_system_b');
    // AND no external inputs
    expect(text).toContain('None: everything this cluster needs is produced by the fleet.');
  });

  test('is deterministic', () => {
    const objects = { 'a/namespace-x.yaml': ns('x'), 'b/configmap-x-y.yaml': configMap('x', 'y') };
    expect(readmeOf(objects)).toBe(readmeOf(objects));
  });

  test('tables the external inputs, sorted, with group, temporary mark and escaped cells', () => {
    // GIVEN two inputs declared out of order, one temporary with a group and a pipe in its text
    const other: ExternalInput = { kind: 'Certificate', group: 'cert-manager.io', namespace: 'a', name: 'tls', consumer: 'gateway | edge', providedBy: 'by hand', command: 'kubectl apply -f `tls.yaml`', temporary: true };
    const text = readmeOf({ 'a/deployment-app.yaml': DEPLOYMENT }, [CREDS_INPUT, other]);
    // THEN one row each, sorted by namespace/name, pipes escaped, backticks of code cells replaced
    const rows = text.split('\n').filter((l) => l.startsWith('| `a/tls`') || l.startsWith('| `default/creds`'));
    expect(rows).toEqual([
      "| `a/tls` | cert-manager.io/Certificate (*temporary*) | gateway \\| edge | by hand | `kubectl apply -f 'tls.yaml'` |",
      '| `default/creds` | Secret | Deployment app | the operator | `kubectl create secret generic creds` |',
    ]);
  });

  test('names the Kustomization that bootstraps a cluster, remote targets and Kustomizations that never start', () => {
    // GIVEN a cluster bootstrapped by mgmt, a remote Kustomization, an upstream release and one that never starts
    const root = node('flux-system/root', { wave: 1, wait: true });
    const upstream = node('flux-system/crds', { wave: 2, parent: root, upstream: { url: 'https://github.com/example/crds' } as KustomizationNode['upstream'], spec: { path: './config|crd' } });
    const remote = node('flux-system/remote', { wave: 2, parent: root, target: 'w' });
    const stuck = node('flux-system/stuck', { dependsOn: ['flux-system/missing', 'flux-system/crds'] });
    const { c, m } = model({ kustomizations: [stuck, remote, upstream, root], bootstrappedBy: 'mgmt flux-system/workload-x' });
    const text = renderClusterReadme(c, m);
    // THEN the bootstrap note names it, rows are in wave order with "never" last
    expect(text).toContain('Before wave 1: what the Kustomization `flux-system/workload-x` of cluster `mgmt` installed');
    const rows = text.split('\n').filter((l) => /^\| (\d+|never) \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| 1', '| 2', '| 2', '| never']);
    expect(rows[1]).toBe('| 2 | `flux-system/crds` | `./config\\|crd` | the upstream release https://github.com/example/crds | 0 health check(s) pass |');
    expect(rows[2]).toContain('`flux-system/remote → w`');
    // AND only dependencies that exist are drawn
    expect(text).toContain('  k_flux_system_crds -.->|Ready before| k_flux_system_stuck');
    expect(text).not.toContain('k_flux_system_missing');
  });
});

describe('externalInputsFromReadme', () => {
  test('reads back exactly the declared inputs, even with -- in a command (it cannot close the comment)', () => {
    // GIVEN inputs, one of whose commands contains `--`
    const withDashes: ExternalInput = { ...CREDS_INPUT, command: 'kubectl create secret generic creds --from-literal=a=b', temporary: true };
    const text = readmeOf({ 'a/deployment-app.yaml': DEPLOYMENT }, [withDashes]);
    // THEN the comment block holds no `--` before its end, and the inputs parse back unchanged
    const block = text.slice(text.indexOf('<!-- infraflux:external-inputs') + 4, text.lastIndexOf('-->'));
    expect(block).not.toContain('--');
    expect(externalInputsFromReadme(text)).toEqual([withDashes]);
  });

  test('a README without inputs, or without the block, gives []', () => {
    expect(externalInputsFromReadme(readmeOf({}))).toEqual([]);
    expect(externalInputsFromReadme('# Cluster `x`\n')).toEqual([]);
  });

  test('fails on a block that is not closed', () => {
    expect(() => externalInputsFromReadme('<!-- infraflux:external-inputs\n[]\n')).toThrow(/\[README\] the external-inputs block is not closed/);
  });
});
