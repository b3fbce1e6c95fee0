/**
 * `infraflux validate [DIR]`: the schema harness ({@link validateDirectory}: every object against
 * its pinned schema, unknown fields and kinds rejected, HelmRelease values against the pinned
 * chart, duplicates) and the reconcile model ({@link reconcileFleet} over {@link readDistTree}:
 * the apply order replayed from empty clusters) over any dist/ tree, InfraFlux-made or not.
 */
import { existsSync, statSync } from 'node:fs';
import { readDistTree } from '../reconcile/dist-tree';
import { reconcileFleet } from '../reconcile/check';
import type { ReconcileClusterInput } from '../reconcile/types';
import { validateDirectory } from '../validation/directory';
import { paint, type CliIo } from './io';

/** One problem of a validated tree, as `--json` prints it. */
export interface TreeProblem {
  /** `schema` (the harness) or `reconcile` (the model). */
  readonly check: 'schema' | 'reconcile';
  /** Stable rule: a {@link ValidationRule} value for the harness, a ReconcileCode for the model. */
  readonly rule: string;
  /** File relative to the tree, e.g. `mgmt/configs/namespace-x.yaml` (`#n` for the n-th document). */
  readonly file: string;
  /** Cluster folder, when known. */
  readonly cluster?: string;
  /** JSON pointer inside the object (harness only; `''` for the whole object). */
  readonly path?: string;
  readonly message: string;
}

/** What `infraflux validate` found. */
export interface TreeValidation {
  readonly dir: string;
  readonly clusters: readonly string[];
  readonly objectsValidated: number;
  readonly helmReleasesValidated: number;
  readonly kustomizations: number;
  readonly problems: readonly TreeProblem[];
}

/** Validates a dist/ tree with both checks; never throws for a bad tree (problems are data). */
export function validateTree(dir: string, shown: string = dir): TreeValidation {
  const schema = validateDirectory(dir);
  const problems: TreeProblem[] = schema.issues.map((i) => {
    const file = i.source.replace(/^dist\//, '');
    return { check: 'schema', rule: i.rule, file, cluster: file.split('/')[0], path: i.path, message: `${i.object}: ${i.message}` };
  });
  let clusters: ReconcileClusterInput[] = [];
  let kustomizations = 0;
  try {
    clusters = readDistTree(dir);
  } catch (error) {
    // A file that does not parse is already a harness problem; the model needs every file.
    problems.push({ check: 'reconcile', rule: 'UNREADABLE', file: '', message: `the reconcile model did not run: ${(error as Error).message}` });
  }
  if (clusters.length > 0) {
    const report = reconcileFleet(clusters);
    kustomizations = report.model.clusters.reduce((n, c) => n + c.kustomizations.length, 0);
    for (const v of report.violations) {
      problems.push({ check: 'reconcile', rule: v.code, file: v.file.replace(/^dist\//, ''), cluster: v.cluster, message: v.message });
    }
  }
  return {
    dir: shown,
    clusters: clusters.map((c) => c.name),
    objectsValidated: schema.objectsValidated,
    helmReleasesValidated: schema.helmReleasesValidated,
    kustomizations,
    problems,
  };
}

/** The readable report: a summary line per check, then one block per problem, grouped by cluster. */
export function formatTreeValidation(v: TreeValidation, io: CliIo): string {
  const schema = v.problems.filter((p) => p.check === 'schema');
  const model = v.problems.filter((p) => p.check === 'reconcile');
  const lines = [
    `infraflux validate ${v.dir}`,
    `  schema harness:  ${v.objectsValidated} objects, ${v.helmReleasesValidated} HelmReleases, ${schema.length} problem(s)`,
    `  reconcile model: ${v.clusters.length} cluster(s), ${v.kustomizations} Kustomizations, ${model.length} problem(s)`,
  ];
  const byCluster = new Map<string, TreeProblem[]>();
  for (const p of v.problems) byCluster.set(p.cluster ?? '(tree)', [...(byCluster.get(p.cluster ?? '(tree)') ?? []), p]);
  for (const [cluster, ps] of [...byCluster].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('', paint(io, 'bold', `cluster ${cluster}`));
    for (const p of ps) {
      lines.push(`  ${paint(io, 'red', 'x')} [${p.check}:${p.rule}] ${p.file}${p.path ? ` at ${p.path}` : ''}`);
      lines.push(`      ${p.message.split('\n').join('\n      ')}`);
    }
  }
  lines.push(
    '',
    v.problems.length === 0 ? paint(io, 'green', 'OK: no problems') : paint(io, 'red', `FAILED: ${v.problems.length} problem(s)`),
  );
  return lines.join('\n');
}

/** `infraflux validate [DIR] [--json]`: 0 when the tree is clean, 1 when it has problems, 2 on a usage error. */
export function validateCommand(dir: string, json: boolean, io: CliIo, shown: string = dir): number {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`infraflux validate: ${shown} is not a directory`);
    return 2;
  }
  if (io.tty) io.err(paint(io, 'dim', `validating ${dir} ...`));
  const v = validateTree(dir, shown);
  io.out(json ? JSON.stringify({ ok: v.problems.length === 0, ...v }, null, 2) : formatTreeValidation(v, io));
  return v.problems.length === 0 ? 0 : 1;
}
