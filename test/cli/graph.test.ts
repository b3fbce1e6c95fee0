/**
 * `infraflux graph`: the fleet topology (creates, mesh, DNS) and each cluster's Flux graph, as
 * Mermaid and SVG, from a small two-cluster tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIo, fleetTopology, runCli } from '../../lib/cli';
import { readDistTree } from '../../lib/reconcile';
import { cleanTree, writeTree } from './_trees';

function twoClusters(): string {
  const c = cleanTree();
  const w = Object.fromEntries(Object.entries(c).map(([f, t]) => [f.replace(/^c\//, 'w/'), t.split('./dist/c/').join('./dist/w/')]));
  return writeTree({
    ...c,
    ...w,
    'c/apps/cluster-w.yaml': 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: w, namespace: w}\n',
    'c/apps/configmap-cilium-values.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-values, namespace: web}\ndata:\n  values.yaml: |\n    clustermesh:\n      config:\n        clusters: [{name: w}]\n',
    'w/apps/configmap-external-dns-values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: external-dns-values, namespace: web}\ndata:\n  values.yaml: |\n    provider: {name: cloudflare}\n    domainFilters: [example.com]\n',
  });
}

describe('infraflux graph', () => {
  test('reads the topology: which cluster creates which, mesh peers, DNS zones', () => {
    expect(fleetTopology(readDistTree(twoClusters()))).toEqual({ clusters: ['c', 'w'], creates: [['c', 'w']], mesh: [['c', 'w']], dns: [['w', 'example.com']] });
  });

  test('prints Mermaid for the fleet and each cluster, in wave order labels', async () => {
    const io = captureIo('/');
    expect(await runCli(['graph', twoClusters()], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatchSnapshot();
    expect(out).toContain('n_c -->|creates| n_w');
    expect(out).toContain('n_flux_system_flux_system -.->|applies| n_flux_system_apps');
  });

  test('--out writes <name>.md with the Mermaid block and <name>.svg', async () => {
    const dir = twoClusters();
    const io = captureIo(dir);
    expect(await runCli(['graph', dir, '--cluster', 'w', '--out', 'graphs'], io)).toBe(0);
    expect(readdirSync(join(dir, 'graphs')).sort()).toEqual(['w.md', 'w.svg']);
    expect(readFileSync(join(dir, 'graphs', 'w.md'), 'utf8')).toContain('```mermaid\nflowchart TD');
    expect(readFileSync(join(dir, 'graphs', 'w.svg'), 'utf8')).toMatch(/<svg[\s\S]*flux&#45;system\/apps/);
  });

  test('fails with exit 2 on an unknown cluster', async () => {
    const io = captureIo('/');
    expect(await runCli(['graph', twoClusters(), '--cluster', 'nope'], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/no cluster "nope"/);
  });
});
