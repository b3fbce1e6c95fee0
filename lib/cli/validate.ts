/**
 * `infraflux validate [DIR]`: the schema harness ({@link validateFleetManifests}: every object against
 * its pinned schema, unknown fields and kinds rejected, HelmRelease values against the pinned
 * chart, duplicates) and the reconcile model ({@link reconcileFleet}:
 * the apply order replayed from empty clusters) over any dist/ tree, InfraFlux-made or not. The
 * tree is read and parsed once for both.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { reconcileFleet } from '../reconcile/check';
import { externalInputsFromReadme } from '../reconcile/cluster-readme';
import type { ReconcileClusterInput, ReconcileManifest } from '../reconcile/types';
import { validateFleetManifests } from '../validation/fleet';
import { isJsonObject, parseYamlDocuments, stringField } from '../validation/types';
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

/** A tree read once: every cluster's parsed objects (for both checks) and the files that did not parse. */
export interface ReadTree {
  readonly clusters: readonly ReconcileClusterInput[];
  readonly unreadable: readonly TreeProblem[];
}

const MANIFEST = /\.(ya?ml|json)$/;

/**
 * Reads a dist/ tree (one folder per cluster; dot files skipped, as Flux's generated README.md and
 * the rename guard's .names.json are not objects): each YAML/JSON document once, shared by the
 * harness and the model. Kustomize's own `kustomization.yaml` config is skipped; `List`s are expanded.
 */
export function readTree(dir: string): ReadTree {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const unreadable: TreeProblem[] = [];
  const clusters = readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name): ReconcileClusterInput => {
      const manifests: ReconcileManifest[] = [];
      for (const path of walk(join(dir, name)).filter((f) => MANIFEST.test(f))) {
        const file = relative(dir, path).split(sep).join('/');
        let docs: unknown[];
        try {
          const text = readFileSync(path, 'utf8');
          docs = file.endsWith('.json') ? [JSON.parse(text) as unknown] : parseYamlDocuments(text, file);
        } catch (error) {
          unreadable.push({ check: 'schema', rule: 'unreadable', file, cluster: name, path: '', message: `cannot parse: ${(error as Error).message}` });
          continue;
        }
        for (const doc of docs) {
          if (!isJsonObject(doc) || (stringField(doc, 'apiVersion') ?? '').startsWith('kustomize.config.k8s.io/')) continue;
          const items = stringField(doc, 'kind') === 'List' && Array.isArray(doc.items) ? doc.items : [doc];
          for (const item of items) if (isJsonObject(item)) manifests.push({ file, object: item });
        }
      }
      const readme = join(dir, name, 'README.md');
      return { name, manifests, externalInputs: existsSync(readme) ? externalInputsFromReadme(readFileSync(readme, 'utf8')) : [] };
    });
  return { clusters, unreadable };
}

/**
 * Both checks over parsed clusters: the schema harness per cluster ({@link validateFleetManifests})
 * and the reconcile model ({@link reconcileFleet}); the model is skipped when a file did not parse
 * (it needs every object), which is reported.
 */
export function validateClusters(tree: ReadTree, shown: string): TreeValidation {
  const manifests = tree.clusters.flatMap((c) => c.manifests);
  const schema = validateFleetManifests(manifests);
  const problems: TreeProblem[] = [...tree.unreadable];
  for (const i of schema.issues) {
    const file = i.source.replace(/^dist\//, '');
    problems.push({ check: 'schema', rule: i.rule, file, cluster: file.split('/')[0], path: i.path, message: `${i.object.replace(/ \(dist\/([^)]*)\)$/, ' ($1)')}: ${i.message}` });
  }
  let kustomizations = 0;
  if (tree.unreadable.length > 0) {
    problems.push({ check: 'reconcile', rule: 'NOT_RUN', file: '', message: 'the reconcile model did not run: it needs every object, and a file does not parse' });
  } else if (tree.clusters.length > 0) {
    const report = reconcileFleet(tree.clusters);
    kustomizations = report.model.clusters.reduce((n, c) => n + c.kustomizations.length, 0);
    for (const v of report.violations) {
      problems.push({ check: 'reconcile', rule: v.code, file: v.file.replace(/^dist\//, ''), cluster: v.cluster, message: v.message });
    }
  }
  return {
    dir: shown,
    clusters: tree.clusters.map((c) => c.name),
    objectsValidated: schema.objectsValidated,
    helmReleasesValidated: schema.helmReleasesValidated,
    kustomizations,
    problems,
  };
}

/** Validates a dist/ tree with both checks; never throws for a bad tree (problems are data). */
export function validateTree(dir: string, shown: string = dir): TreeValidation {
  return validateClusters(readTree(dir), shown);
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
