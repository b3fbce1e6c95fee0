import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { ApiObject, App, Yaml } from 'cdk8s';
import { ErrorCode, InfraFluxError, type InfraFluxProblem, validateWithCodes } from '../core/errors';
import { GitOpsCluster, GitOpsClusterProps, GitSourceProps } from '../flux/gitops-cluster';
import { OutputFolder } from '../flux/output-folder';
import { SHARD_LABEL } from '../flux/sharding';
import { reconcileFleet } from '../reconcile/check';
import { NAMES_MANIFEST_FILE, readNamesManifest, recordNames, RenameGuard, renderNamesManifest } from './rename-guard';
import { FleetValidation, FleetValidationProps, Validation } from './validation';

/** A synthesized manifest: where it goes and what it is. */
export interface SynthesizedManifest {
  /** Path relative to dist/, e.g. `mgmt/controllers/namespace-cert-manager.yaml`. */
  readonly file: string;
  /** The object as Kubernetes JSON. */
  readonly object: Record<string, unknown>;
  /** Construct path of the object, for error messages. */
  readonly constructPath: string;
  /** Why the object is not validated at synth ({@link Validation.exempt}); undefined when it is. */
  readonly exemption?: string;
}

/** What {@link Fleet.synthesize} wrote. */
export interface SynthesisResult {
  /** Number of files written. */
  readonly files: number;
  /** Objects exempt from validation, with their reasons (also written into their file headers). */
  readonly exempted: readonly { readonly file: string; readonly constructPath: string; readonly reason: string }[];
}

export interface FleetProps {
  /**
   * The Git repository every cluster's Flux reads dist/ from.
   */
  readonly source: GitSourceProps;
  /**
   * Output folder.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Schemas of your own (CRDs, charts) that synth-time validation uses next to the pinned ones.
   * More can be added later with `fleet.validation.registerCrd()` / `registerChart()`.
   * @default - the pinned schemas only
   */
  readonly validation?: FleetValidationProps;
}

/**
 * The root of a fleet: one {@link GitOpsCluster} per cluster, synthesized into `dist/<cluster>/`
 * as one file per object named `<kind>-<name>.yaml`.
 *
 * Synthesis (`manifests()`, `render()`, `synthesize()`) checks everything first and writes nothing
 * unless all of it is valid: every construct's own validations, then every rendered object
 * against its pinned schema (unknown fields rejected), every HelmRelease's merged values against
 * its pinned chart, no object of a kind without a schema, no Secret with plaintext data. All
 * problems are reported at once in one {@link InfraFluxError} (code SYNTH_FAILED) whose `problems`
 * keep each problem's own code.
 */
export class Fleet extends App {
  public readonly source: GitSourceProps;
  /** Synth-time validation: register CRDs and charts of your own here. */
  public readonly validation: FleetValidation;

  public constructor(props: FleetProps) {
    super({ outdir: props.outdir ?? 'dist' });
    this.source = props.source;
    this.validation = new FleetValidation(props.validation);
  }

  /** Adds a cluster whose Flux reads `dist/<name>/` from the fleet's repository. */
  public addCluster(id: string, props: Omit<GitOpsClusterProps, 'source'> & { readonly source?: GitSourceProps }): GitOpsCluster {
    return new GitOpsCluster(this, id, { ...props, source: props.source ?? this.source });
  }

  public get clusters(): GitOpsCluster[] {
    return this.node.children.filter((c): c is GitOpsCluster => c instanceof GitOpsCluster);
  }

  /** Runs every construct's validations; throws one error listing all of them. */
  public validateAll(): void {
    this.throwIfAny(this.constructProblems());
  }

  /** Validates, then renders every object; nothing is written. */
  public manifests(): SynthesizedManifest[] {
    const problems = this.constructProblems();
    // Construct validations failed: rendering may not even be possible, so stop here.
    this.throwIfAny(problems);
    const out: SynthesizedManifest[] = [];
    const byFile = new Map<string, string>();
    for (const obj of this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      const folder = OutputFolder.of(obj).folder;
      const json = shardLabelled(obj, obj.toJson() as Record<string, unknown> & { kind: string; metadata: { name: string } });
      const file = `${folder}/${json.kind.toLowerCase()}-${json.metadata.name}.yaml`;
      const other = byFile.get(file);
      if (other) {
        problems.push(problem(ErrorCode.DUPLICATE, obj, `writes ${file}, which ${other} writes too; give one of them another name or folder`));
        continue;
      }
      byFile.set(file, obj.node.path);
      const exemption = Validation.exemptionOf(obj);
      out.push({ file, object: json, constructPath: obj.node.path, ...(exemption !== undefined ? { exemption } : {}) });
    }
    out.sort((a, b) => a.file.localeCompare(b.file));
    problems.push(...this.checkManifests(out));
    this.throwIfAny(problems);
    return out;
  }

  /**
   * Renders each manifest file's text: a provenance header (plus the exemption reason of an
   * object not validated) and the object as YAML.
   */
  public render(): Map<string, string> {
    const manifests = this.manifests();
    const files = this.renderManifests(manifests);
    // Reconcile check (docs/reconcile.md): replay every cluster from empty; any violation fails synth.
    for (const [file, text] of this.checkReconcile(manifests)) files.set(file, text);
    for (const [file, text] of this.renderNames(manifests)) files.set(file, text);
    return files;
  }

  /**
   * The rename guard's record (decision 0111): `<cluster>/.names.json` with the names of the
   * cluster's stateful and identity-bearing objects.
   */
  private renderNames(manifests: readonly SynthesizedManifest[]): Map<string, string> {
    const byCluster = manifestsByCluster(manifests);
    return new Map(this.clusters.map((c) => [`${c.name}/${NAMES_MANIFEST_FILE}`, renderNamesManifest(c.name, recordNames((byCluster.get(c.name) ?? []).map((m) => m.object)))]));
  }

  /**
   * Compares each cluster's names with the record in the output folder being replaced: a recorded
   * name that disappears without a declaration fails synth (RENAME_UNDECLARED). A fresh folder passes.
   */
  private checkRenames(outdir: string, manifests: readonly SynthesizedManifest[]): void {
    const problems: InfraFluxProblem[] = [];
    const byCluster = manifestsByCluster(manifests);
    for (const c of this.clusters) {
      const previous = readNamesManifest(outdir, c.name);
      if (!previous) continue;
      const current = recordNames((byCluster.get(c.name) ?? []).map((m) => m.object));
      problems.push(...RenameGuard.check(c, c.name, previous, current));
    }
    this.throwIfAny(problems, 'the rename guard found');
  }

  /**
   * Runs the reconcile model over the rendered manifests and the clusters' declared external
   * inputs; throws one error listing every violation, else returns each cluster's README.md.
   */
  public checkReconcile(manifests: readonly SynthesizedManifest[] = this.manifests()): ReadonlyMap<string, string> {
    const byCluster = manifestsByCluster(manifests);
    const report = reconcileFleet(
      this.clusters.map((c) => ({ name: c.name, manifests: byCluster.get(c.name) ?? [], externalInputs: c.externalInputs, secretUses: c.secretUses })),
    );
    this.throwIfAny(
      report.violations.map((v) => {
        const constructPath = manifests.find((m) => `dist/${m.file}` === v.file)?.constructPath ?? '';
        return { code: v.code, constructPath, file: v.file.replace(/^dist\//, ''), message: `[${constructPath || v.cluster}] ${v.message}` };
      }),
      'the reconcile check found',
    );
    return report.readmes;
  }

  private renderManifests(manifests: readonly SynthesizedManifest[]): Map<string, string> {
    return new Map(
      manifests.map((m) => {
        const exempt = m.exemption !== undefined ? `# Not validated at synth: ${m.exemption}\n` : '';
        return [m.file, `# Generated by InfraFlux from ${m.constructPath}. Do not edit: change the program that defines it and synthesize again.\n${exempt}${Yaml.stringify(m.object)}`];
      }),
    );
  }

  /**
   * Synth-time validation of the rendered objects (one separate step, see {@link FleetValidation}):
   * pinned/registered schemas, Helm values, unknown kinds, plaintext Secrets.
   */
  private checkManifests(manifests: readonly SynthesizedManifest[]): InfraFluxProblem[] {
    return this.validation.check(manifests);
  }

  /**
   * Every construct's own validations, each problem with its code ({@link addCodedValidation};
   * a plain `node.addValidation()` gives INVALID_PROP), and unique cluster names.
   */
  private constructProblems(): InfraFluxProblem[] {
    const problems: InfraFluxProblem[] = this.node.findAll().flatMap((c) => validateWithCodes(c));
    const clusterNames = new Map<string, string>();
    for (const cluster of this.clusters) {
      const other = clusterNames.get(cluster.name);
      if (other) problems.push(problem(ErrorCode.DUPLICATE, cluster, `cluster name "${cluster.name}" is already used by ${other}`));
      clusterNames.set(cluster.name, cluster.node.path);
    }
    return problems;
  }

  private throwIfAny(problems: readonly InfraFluxProblem[], what = 'synth found'): void {
    if (problems.length === 0) return;
    const lines = problems.map((p) => `${p.code} ${p.message}`);
    throw new InfraFluxError(ErrorCode.SYNTH_FAILED, this.node.path || 'fleet', `${what} ${problems.length} error(s), nothing was written:\n  ${lines.join('\n  ')}`, problems);
  }

  /** cdk8s' `app.synth()` goes through the same validation and layout as {@link synthesize}. */
  public override synth(): void {
    this.synthesize();
  }

  /**
   * Writes dist/ atomically: everything goes to a temporary sibling folder first, which then
   * replaces the output folder. A validation error leaves the old dist/ untouched.
   */
  public synthesize(outdir: string = this.outdir): SynthesisResult {
    const manifests = this.manifests();
    const files = this.renderManifests(manifests);
    // Reconcile check (docs/reconcile.md) before anything is written; adds each cluster's README.md.
    for (const [file, text] of this.checkReconcile(manifests)) files.set(file, text);
    const target = resolve(outdir);
    // Rename guard: against the record of the folder this synth replaces, before anything is written.
    this.checkRenames(target, manifests);
    for (const [file, text] of this.renderNames(manifests)) files.set(file, text);
    const tmp = join(dirname(target), `.dist-tmp-${process.pid}-${basename(target)}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      for (const [file, text] of files) {
        mkdirSync(dirname(join(tmp, file)), { recursive: true });
        writeFileSync(join(tmp, file), text);
      }
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    }
    const old = `${tmp}-old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
    const exempted = manifests.filter((m) => m.exemption !== undefined).map((m) => ({ file: m.file, constructPath: m.constructPath, reason: m.exemption as string }));
    // Manifests only: the generated README.md and .names.json files are not objects.
    return { files: [...files.keys()].filter((f) => !f.endsWith('.md') && !f.endsWith(NAMES_MANIFEST_FILE)).length, exempted };
  }
}

/**
 * On a sharded cluster (decision 0114), an app's Kustomization (path `.../releases/<app>`) and its
 * HelmRelease carry the shard label of the app's name; the root, the layers and the sources stay
 * with the main controllers.
 */
function shardLabelled<T extends { kind: string; metadata: { name: string; labels?: Record<string, string> } }>(obj: ApiObject, json: T): T {
  const sharding = GitOpsCluster.find(obj)?.sharding;
  if (!sharding?.enabled) return json;
  const path = String((json as { spec?: { path?: unknown } }).spec?.path ?? '');
  const isApp = (json.kind === 'Kustomization' && /\/releases\/[^/]+$/.test(path)) || json.kind === 'HelmRelease';
  const shard = isApp ? sharding.shardOf(json.metadata.name) : undefined;
  return shard ? { ...json, metadata: { ...json.metadata, labels: { ...json.metadata.labels, [SHARD_LABEL]: shard } } } : json;
}

/** Manifests by cluster folder (the first path segment), in order: one pass instead of one filter per cluster. */
function manifestsByCluster(manifests: readonly SynthesizedManifest[]): Map<string, SynthesizedManifest[]> {
  const out = new Map<string, SynthesizedManifest[]>();
  for (const m of manifests) {
    const c = m.file.slice(0, m.file.indexOf('/'));
    const list = out.get(c);
    if (list) list.push(m);
    else out.set(c, [m]);
  }
  return out;
}

function problem(code: ErrorCode, scope: ApiObject | GitOpsCluster, message: string): InfraFluxProblem {
  return { code, constructPath: scope.node.path, message: new InfraFluxError(code, scope, message).message };
}
