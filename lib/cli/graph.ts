/**
 * `infraflux graph`: the Flux dependency graph of each cluster (Kustomizations and their
 * `dependsOn`, by wave) and the fleet topology (which cluster creates which through Cluster API,
 * the Cilium ClusterMesh peers, the DNS zones external-dns writes), read from a dist/ tree, as
 * Mermaid (for Markdown) and Graphviz DOT (rendered to SVG with @viz-js/viz, decision 0113).
 * Deterministic: sorted nodes and edges.
 */
import { parse } from 'yaml';
import { buildReconcileModel, type ClusterModel } from '../reconcile/reconcile-model';
import type { ReconcileClusterInput } from '../reconcile/types';

/** The fleet's topology. */
export interface FleetTopology {
  readonly clusters: readonly string[];
  /** `[creator, created]`: a Cluster API Cluster of `created` in `creator`'s tree. */
  readonly creates: readonly (readonly [string, string])[];
  /** Unordered ClusterMesh peers, `[a, b]` with a < b. */
  readonly mesh: readonly (readonly [string, string])[];
  /** `[cluster, zone]`: external-dns of `cluster` writes records in `zone`. */
  readonly dns: readonly (readonly [string, string])[];
}

function id(s: string): string {
  return `n_${s.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function sortPairs(pairs: Iterable<string>): [string, string][] {
  return [...new Set(pairs)].sort().map((p) => p.split('\u0000') as [string, string]);
}

/** Values of a `<release>-values` ConfigMap (`data['values.yaml']`), `undefined` for anything else. */
function valuesOf(object: Record<string, unknown>): Record<string, unknown> | undefined {
  if (object.kind !== 'ConfigMap') return undefined;
  const text = ((object.data ?? {}) as Record<string, unknown>)['values.yaml'];
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the topology from the trees' objects. */
export function fleetTopology(clusters: readonly ReconcileClusterInput[]): FleetTopology {
  const names = new Set(clusters.map((c) => c.name));
  const creates: string[] = [];
  const mesh: string[] = [];
  const dns: string[] = [];
  for (const c of clusters) {
    for (const m of c.manifests) {
      const o = m.object;
      const name = String(((o.metadata ?? {}) as { name?: unknown }).name);
      if (o.kind === 'Cluster' && String(o.apiVersion).startsWith('cluster.x-k8s.io/') && names.has(name) && name !== c.name) creates.push(`${c.name}\u0000${name}`);
      const values = valuesOf(o);
      if (!values) continue;
      // A bootstrap release of the management cluster (`releases/<cluster>-bootstrap/`) installs into that cluster.
      const forCluster = /\/releases\/([^/]+)-bootstrap\//.exec(m.file)?.[1] ?? c.name;
      const peers = (((values.clustermesh ?? {}) as { config?: { clusters?: unknown } }).config?.clusters ?? []) as unknown[];
      for (const p of Array.isArray(peers) ? peers : []) {
        const peer = (p as { name?: unknown }).name;
        if (typeof peer === 'string' && peer !== forCluster) mesh.push([forCluster, peer].sort().join('\u0000'));
      }
      const filters = values.domainFilters;
      if (Array.isArray(filters) && values.provider !== undefined) for (const z of filters) if (typeof z === 'string') dns.push(`${forCluster}\u0000${z}`);
    }
  }
  return { clusters: [...names].sort(), creates: sortPairs(creates), mesh: sortPairs(mesh), dns: sortPairs(dns) };
}

/** Mermaid flowchart of the topology. */
export function topologyMermaid(t: FleetTopology): string {
  const lines = ['flowchart LR'];
  for (const c of t.clusters) lines.push(`  ${id(c)}["${c}"]`);
  for (const z of [...new Set(t.dns.map(([, z]) => z))].sort()) lines.push(`  ${id(`zone ${z}`)}[("${z}")]`);
  for (const [a, b] of t.creates) lines.push(`  ${id(a)} -->|creates| ${id(b)}`);
  for (const [a, b] of t.mesh) lines.push(`  ${id(a)} <-.->|mesh| ${id(b)}`);
  for (const [c, z] of t.dns) lines.push(`  ${id(c)} -->|DNS| ${id(`zone ${z}`)}`);
  return lines.join('\n');
}

/** Graphviz DOT of the topology. */
export function topologyDot(t: FleetTopology): string {
  const lines = ['digraph fleet {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const c of t.clusters) lines.push(`  ${id(c)} [label="${c}"];`);
  for (const z of [...new Set(t.dns.map(([, z]) => z))].sort()) lines.push(`  ${id(`zone ${z}`)} [label="${z}", shape=cylinder];`);
  for (const [a, b] of t.creates) lines.push(`  ${id(a)} -> ${id(b)} [label="creates"];`);
  for (const [a, b] of t.mesh) lines.push(`  ${id(a)} -> ${id(b)} [label="mesh", dir=both, style=dashed];`);
  for (const [c, z] of t.dns) lines.push(`  ${id(c)} -> ${id(`zone ${z}`)} [label="DNS"];`);
  lines.push('}');
  return lines.join('\n');
}

function kLabel(n: ClusterModel['kustomizations'][number]): string {
  return `${n.id}${n.target !== n.cluster ? ` → ${n.target}` : ''}\\nwave ${n.wave ?? '-'}`;
}

/** Mermaid flowchart of one cluster's Kustomizations: solid edges from a dependency to its dependant, dotted from the Kustomization that applies another. */
export function fluxMermaid(c: ClusterModel): string {
  const nodes = [...c.kustomizations].sort((a, b) => a.id.localeCompare(b.id));
  const lines = ['flowchart TD'];
  for (const n of nodes) lines.push(`  ${id(n.id)}["${kLabel(n).replace('\\n', '<br/>')}"]`);
  for (const n of nodes) if (n.parent) lines.push(`  ${id(n.parent.id)} -.->|applies| ${id(n.id)}`);
  for (const n of nodes) for (const d of [...n.dependsOn].sort()) lines.push(`  ${id(d)} --> ${id(n.id)}`);
  return lines.join('\n');
}

/** Graphviz DOT of one cluster's Kustomizations, one rank per wave. */
export function fluxDot(c: ClusterModel): string {
  const nodes = [...c.kustomizations].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [`digraph "${c.name}" {`, '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of nodes) lines.push(`  ${id(n.id)} [label="${kLabel(n)}"];`);
  for (const n of nodes) if (n.parent) lines.push(`  ${id(n.parent.id)} -> ${id(n.id)} [style=dotted, label="applies"];`);
  for (const n of nodes) for (const d of [...n.dependsOn].sort()) lines.push(`  ${id(d)} -> ${id(n.id)};`);
  const waves = new Map<number, string[]>();
  for (const n of nodes) if (n.wave !== undefined) waves.set(n.wave, [...(waves.get(n.wave) ?? []), id(n.id)]);
  for (const [, ids] of [...waves].sort(([a], [b]) => a - b)) lines.push(`  { rank=same; ${ids.join('; ')}; }`);
  lines.push('}');
  return lines.join('\n');
}

/** Every graph of a tree: `name` → { mermaid, dot }, `fleet` first, then one per cluster. */
export function fleetGraphs(clusters: readonly ReconcileClusterInput[], only?: string): Map<string, { mermaid: string; dot: string }> {
  const out = new Map<string, { mermaid: string; dot: string }>();
  const topology = fleetTopology(clusters);
  if (!only) out.set('fleet', { mermaid: topologyMermaid(topology), dot: topologyDot(topology) });
  const model = buildReconcileModel(clusters);
  for (const c of [...model.clusters].sort((a, b) => a.name.localeCompare(b.name))) {
    if (only && c.name !== only) continue;
    out.set(c.name, { mermaid: fluxMermaid(c), dot: fluxDot(c) });
  }
  return out;
}

/** DOT → SVG with @viz-js/viz (Graphviz compiled to WebAssembly); loaded on first use only. */
export async function renderSvg(dots: readonly string[]): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = (await import('@viz-js/viz')) as typeof import('@viz-js/viz');
  const instance = await viz.instance();
  return dots.map((dot) => instance.renderString(dot, { format: 'svg' }));
}
