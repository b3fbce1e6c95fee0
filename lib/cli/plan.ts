/**
 * `infraflux plan`: what merging a change does to each cluster, in the order Flux applies it
 * (decision 0112). Reads two dist/ trees (base and head), diffs them object by object, groups the
 * changes by the Flux Kustomization that applies them, in reconcile order (the waves of the
 * reconcile model, docs/reconcile.md), with the health checks gating each wave, and flags the
 * dangerous changes: a stateful or identity-bearing object deleted or renamed (the rename guard's
 * kinds, lib/platform/rename-guard.ts) and a Kustomization that is Ready on the base and gains a
 * new dependency (it stops applying changes until the new dependency is Ready).
 */
import { isDeepStrictEqual } from 'node:util';
import { IDENTITY_KINDS, recordNames, recordedNameKey, type RecordedName } from '../platform/rename-guard';
import { buildReconcileModel, type FleetModel, type KustomizationNode } from '../reconcile/reconcile-model';
import type { ReconcileClusterInput } from '../reconcile/types';
import { paint, type CliIo } from './io';

/** One object changed between base and head. */
export interface PlannedChange {
  readonly action: 'add' | 'delete' | 'change';
  /** `Kind[.group] [namespace/]name`. */
  readonly object: string;
  /** File of the object (head's, or base's for a deletion), relative to the tree. */
  readonly file: string;
  /** For a change: the JSON pointers that differ (at most 8). */
  readonly paths?: readonly string[];
}

/** The changes one Kustomization applies. */
export interface PlannedKustomization {
  /** `namespace/name`, or `(not applied by a Kustomization)`. */
  readonly id: string;
  /** Apply wave of the reconcile model (1 = applied by bootstrap); undefined when it never starts. */
  readonly wave?: number;
  /** What gates the next wave: `wait` (every object Ready) or the listed health checks. */
  readonly gate: string;
  readonly changes: readonly PlannedChange[];
}

/** A change that needs `--acknowledge`. */
export interface DangerousChange {
  readonly cluster: string;
  readonly kind: 'identity-deleted' | 'identity-renamed' | 'new-dependency';
  readonly message: string;
}

export interface ClusterPlan {
  readonly cluster: string;
  readonly kustomizations: readonly PlannedKustomization[];
}

export interface Plan {
  readonly base: string;
  readonly head: string;
  readonly clusters: readonly ClusterPlan[];
  readonly dangerous: readonly DangerousChange[];
  readonly counts: { readonly add: number; readonly delete: number; readonly change: number };
}

function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function objectName(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const group = groupOf(o.apiVersion);
  return `${String(o.kind)}${group ? `.${group}` : ''} ${typeof m.namespace === 'string' ? `${m.namespace}/` : ''}${String(m.name)}`;
}

/** JSON pointers where `a` and `b` differ, depth-first, at most `limit`. */
function differingPaths(a: unknown, b: unknown, limit = 8, at = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return [at || '/'];
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (out.length >= limit) break;
    out.push(...differingPaths(a[key], b[key], limit - out.length, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return out;
}

function gateOf(n: KustomizationNode): string {
  const spec = (n.object.spec ?? {}) as { wait?: unknown; healthChecks?: unknown; healthCheckExprs?: unknown };
  if (spec.wait === true) return `wait: all ${n.applied.length} object(s) Ready`;
  const checks = Array.isArray(spec.healthChecks)
    ? spec.healthChecks.map((h) => {
        const c = h as { kind?: string; namespace?: string; name?: string };
        return `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
      })
    : [];
  return checks.length > 0 ? `healthChecks: ${checks.join(', ')}` : 'no health checks';
}

interface Indexed {
  readonly byKey: Map<string, { file: string; object: Record<string, unknown> }>;
  readonly kustomizationOfFile: Map<string, KustomizationNode>;
  readonly kustomizations: Map<string, KustomizationNode>;
}

function index(cluster: ReconcileClusterInput | undefined, model: FleetModel): Indexed {
  const byKey = new Map<string, { file: string; object: Record<string, unknown> }>();
  for (const m of cluster?.manifests ?? []) byKey.set(objectName(m.object), { file: m.file, object: m.object });
  const kustomizationOfFile = new Map<string, KustomizationNode>();
  const kustomizations = new Map<string, KustomizationNode>();
  for (const n of model.byName.get(cluster?.name ?? '')?.kustomizations ?? []) {
    kustomizations.set(n.id, n);
    for (const a of n.applied) if (!kustomizationOfFile.has(a.file)) kustomizationOfFile.set(a.file, n);
  }
  return { byKey, kustomizationOfFile, kustomizations };
}

const NOT_APPLIED = '(not applied by a Kustomization)';

/** Plans head against base: pure, deterministic. */
export function planTrees(base: readonly ReconcileClusterInput[], head: readonly ReconcileClusterInput[], labels: { base: string; head: string }): Plan {
  const baseModel = buildReconcileModel(base);
  const headModel = buildReconcileModel(head);
  const names = [...new Set([...base.map((c) => c.name), ...head.map((c) => c.name)])].sort();
  const clusters: ClusterPlan[] = [];
  const dangerous: DangerousChange[] = [];
  const counts = { add: 0, delete: 0, change: 0 };
  for (const name of names) {
    const b = index(base.find((c) => c.name === name), baseModel);
    const h = index(head.find((c) => c.name === name), headModel);
    const groups = new Map<string, { node?: KustomizationNode; changes: PlannedChange[] }>();
    const add = (node: KustomizationNode | undefined, change: PlannedChange): void => {
      const id = node?.id ?? NOT_APPLIED;
      const g = groups.get(id) ?? { ...(node ? { node } : {}), changes: [] };
      g.changes.push(change);
      groups.set(id, g);
      counts[change.action]++;
    };
    for (const key of [...new Set([...b.byKey.keys(), ...h.byKey.keys()])].sort()) {
      const before = b.byKey.get(key);
      const after = h.byKey.get(key);
      if (before && after) {
        const paths = differingPaths(before.object, after.object);
        if (paths.length > 0) add(h.kustomizationOfFile.get(after.file), { action: 'change', object: key, file: after.file, paths });
      } else if (after) {
        add(h.kustomizationOfFile.get(after.file), { action: 'add', object: key, file: after.file });
      } else if (before) {
        // A deleted object is pruned by the Kustomization that applied it on the base.
        const node = b.kustomizationOfFile.get(before.file);
        add(node ? (h.kustomizations.get(node.id) ?? node) : undefined, { action: 'delete', object: key, file: before.file });
      }
    }
    dangerous.push(...identityLosses(name, base.find((c) => c.name === name), head.find((c) => c.name === name)));
    dangerous.push(...newDependencies(name, b, h));
    const order = (g: { node?: KustomizationNode }): number => g.node?.wave ?? 1e9;
    const kustomizations = [...groups.entries()]
      .sort(([ia, a], [ib, bb]) => order(a) - order(bb) || ia.localeCompare(ib))
      .map(([id, g]) => ({ id, ...(g.node?.wave !== undefined ? { wave: g.node.wave } : {}), gate: g.node ? gateOf(g.node) : '-', changes: g.changes }));
    if (kustomizations.length > 0) clusters.push({ cluster: name, kustomizations });
  }
  return { base: labels.base, head: labels.head, clusters, dangerous, counts };
}

function identityLosses(cluster: string, base: ReconcileClusterInput | undefined, head: ReconcileClusterInput | undefined): DangerousChange[] {
  const was = recordNames((base?.manifests ?? []).map((m) => m.object));
  const now = recordNames((head?.manifests ?? []).map((m) => m.object));
  const nowKeys = new Set(now.map(recordedNameKey));
  const wasKeys = new Set(was.map(recordedNameKey));
  const added = now.filter((n) => !wasKeys.has(recordedNameKey(n)));
  const paired = new Set<RecordedName>();
  // Same kind (and claim template) added in the same cluster: most likely the same object renamed.
  // Prefer the one that kept its name (a namespace move) or its namespace (a rename); each new name pairs once.
  const twinOf = (n: RecordedName): RecordedName | undefined => {
    const candidates = added.filter((a) => !paired.has(a) && a.kind === n.kind && a.volumeClaimTemplate === n.volumeClaimTemplate);
    const best = candidates.find((a) => a.name === n.name) ?? candidates.find((a) => a.namespace === n.namespace) ?? candidates[0];
    if (best) paired.add(best);
    return best;
  };
  return was
    .filter((n) => !nowKeys.has(recordedNameKey(n)))
    .map((n: RecordedName): DangerousChange => {
      const twin = twinOf(n);
      const why = IDENTITY_KINDS.get(n.kind) ?? 'it carries identity or data';
      return twin
        ? { cluster, kind: 'identity-renamed', message: `${recordedNameKey(n)} is renamed to ${recordedNameKey(twin)}: Flux deletes the old object and creates a new one (${why})` }
        : { cluster, kind: 'identity-deleted', message: `${recordedNameKey(n)} is deleted (${why})` };
    });
}

function newDependencies(cluster: string, b: Indexed, h: Indexed): DangerousChange[] {
  const out: DangerousChange[] = [];
  for (const [id, now] of h.kustomizations) {
    const was = b.kustomizations.get(id);
    // Ready on the base: it started and became Ready in the model's replay.
    if (!was || was.readyWave === undefined) continue;
    const gained = now.dependsOn.filter((d) => !was.dependsOn.includes(d));
    if (gained.length > 0) {
      out.push({
        cluster,
        kind: 'new-dependency',
        message: `Kustomization ${id} is Ready on the base and now depends on ${gained.join(', ')}: it applies nothing (not even this change) until ${gained.length > 1 ? 'they are' : 'it is'} Ready`,
      });
    }
  }
  return out;
}

const SIGN = { add: '+', delete: '-', change: '~' } as const;

/** Plain text (stable, parseable), coloured on a TTY. */
export function formatPlan(plan: Plan, io: CliIo, acknowledged: boolean): string {
  const lines = [`infraflux plan: ${plan.base} -> ${plan.head}`];
  for (const c of plan.clusters) {
    lines.push('', paint(io, 'bold', `cluster ${c.cluster}`));
    for (const k of c.kustomizations) {
      lines.push(`  ${k.wave !== undefined ? `wave ${k.wave}` : 'wave -'}  Kustomization ${k.id}  [gate: ${k.gate}]`);
      for (const ch of k.changes) {
        const colour = ch.action === 'add' ? 'green' : ch.action === 'delete' ? 'red' : 'yellow';
        lines.push(`    ${paint(io, colour, SIGN[ch.action])} ${ch.object}  (${ch.file})${ch.paths ? ` ${ch.paths.join(' ')}` : ''}`);
      }
    }
  }
  if (plan.dangerous.length > 0) {
    lines.push('', paint(io, 'red', `DANGEROUS (${plan.dangerous.length})${acknowledged ? ', acknowledged' : ''}:`));
    for (const d of plan.dangerous) lines.push(`  ! ${d.cluster}: [${d.kind}] ${d.message}`);
  }
  lines.push('', summary(plan, acknowledged));
  return lines.join('\n');
}

function summary(plan: Plan, acknowledged: boolean): string {
  const { add, delete: del, change } = plan.counts;
  const base = `${add} to add, ${change} to change, ${del} to delete; ${plan.dangerous.length} dangerous`;
  if (plan.dangerous.length === 0) return `${base}.`;
  return acknowledged ? `${base}, acknowledged.` : `${base}: exit 1 (review, then pass --acknowledge).`;
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown for a pull-request comment. */
export function formatPlanMarkdown(plan: Plan, acknowledged: boolean): string {
  const lines = [`## infraflux plan: \`${plan.base}\` → \`${plan.head}\``, ''];
  if (plan.dangerous.length > 0) {
    lines.push(`> [!CAUTION]`, `> ${plan.dangerous.length} dangerous change(s)${acknowledged ? ' (acknowledged)' : ''}:`);
    for (const d of plan.dangerous) lines.push(`> - **${d.cluster}** (${d.kind}): ${md(d.message)}`);
    lines.push('');
  }
  for (const c of plan.clusters) {
    lines.push(`### Cluster \`${c.cluster}\``, '', '| Wave | Kustomization | Gate | Change | Object | File |', '|---|---|---|---|---|---|');
    for (const k of c.kustomizations) {
      for (const ch of k.changes) {
        lines.push(`| ${k.wave ?? '-'} | \`${md(k.id)}\` | ${md(k.gate)} | ${SIGN[ch.action]} ${ch.action} | \`${md(ch.object)}\`${ch.paths ? ` ${ch.paths.map((p) => `\`${md(p)}\``).join(' ')}` : ''} | \`${md(ch.file)}\` |`);
      }
    }
    lines.push('');
  }
  lines.push(summary(plan, acknowledged));
  return `${lines.join('\n')}\n`;
}
