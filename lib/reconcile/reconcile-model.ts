/**
 * The reconcile model: Flux's view of a fleet, rebuilt from the rendered objects alone, replayed
 * from an empty cluster. See docs/reconcile.md.
 *
 * Per cluster, every Flux `Kustomization` object is a node with two events, `start` (its objects
 * are applied) and `ready`. `start` follows the `start` of the Kustomization that applies its
 * object (its parent) and the `ready` of each `dependsOn`; `ready` follows its own `start` and the
 * `ready` of every child Kustomization it waits for (`wait: true`, or a health check on it).
 * Replaying the events in order accumulates facts ("Namespace podinfo exists on mgmt", "kind
 * cert-manager.io/Certificate is served on prod-aws", "Secret prod-aws/prod-aws-kubeconfig
 * exists"); the rules (rules.ts) check each applied object against the facts of its `start`.
 */
import { defaultUpstreamSource, SchemaPack, type UpstreamSource } from '../validation/schema-pack';
import { field, isJsonObject, parseYamlDocument, stringField, type JsonObject } from '../validation/types';
import {
  BUILT_IN_GROUPS,
  BUILT_IN_NAMESPACES,
  chartNameOf,
  FLUX_CRDS_PREFIX,
  groupOf,
  knowledgeFor,
  KnowledgeContext,
  lockedCrdsUnder,
  mergeValues,
  Reference,
  Thing,
  UPSTREAM_RELEASES,
  UpstreamRelease,
} from './knowledge';
import { ExternalInput, ReconcileClusterInput } from './types';

/** A fact key: `<cluster>|<group>/<Kind>|<namespace>/<name>`, or `<cluster>|<group>/<Kind>|*served*`. */
export function factKey(cluster: string, t: Thing): string {
  const c = t.cluster ?? cluster;
  if (t.served) return `${c}|${t.group}/${t.kind}|*served*`;
  return `${c}|${t.group}/${t.kind}|${t.namespace ?? ''}/${t.name ?? ''}`;
}

/** `namespace/name` of a Thing, or `name` when cluster-scoped. */
export function thingName(t: Thing): string {
  return t.namespace ? `${t.namespace}/${t.name}` : `${t.name}`;
}

/** One object as the model sees it: the file, the object and the cluster it lands on. */
export interface AppliedObject {
  readonly file: string;
  readonly object: JsonObject;
  readonly constructPath?: string;
  /** Cluster the object is applied to. */
  readonly target: string;
}

/** A Flux Kustomization of a cluster, with what it applies and when. */
export interface KustomizationNode {
  /** `namespace/name`. */
  readonly id: string;
  readonly file: string;
  readonly object: JsonObject;
  /** Cluster whose kustomize-controller runs it. */
  readonly cluster: string;
  /** Cluster it applies to (`kubeConfig`): the same cluster unless remote. */
  readonly target: string;
  readonly applied: AppliedObject[];
  /** Upstream release content (a GitRepository other than the fleet's). */
  readonly upstream?: UpstreamRelease;
  /** The content is neither the fleet's nor a known upstream release. */
  readonly unknownContent?: string;
  parent?: KustomizationNode;
  readonly dependsOn: string[];
  readonly wait: boolean;
  /** Objects whose readiness this Kustomization waits for. */
  readonly waitsFor: AppliedObject[];
  /** Apply wave (1 = applied by bootstrap); undefined when it never starts. */
  wave?: number;
  /** Wave by which it is Ready. */
  readyWave?: number;
  /** Facts when it starts. */
  before?: Set<string>;
  /** Facts once it is Ready. */
  after?: Set<string>;
}

export interface ClusterModel {
  readonly name: string;
  readonly kustomizations: KustomizationNode[];
  readonly externalInputs: readonly ExternalInput[];
  /** Facts the cluster has before its root Kustomization runs. */
  readonly base: Set<string>;
  /** Files no Kustomization applies. */
  readonly notApplied: string[];
  /** The remote Kustomization (`<cluster> <namespace>/<name>`) that applies this cluster's flux-system/; undefined when bootstrapped by hand. */
  readonly bootstrappedBy?: string;
}

export interface FleetModel {
  readonly clusters: ClusterModel[];
  readonly byName: Map<string, ClusterModel>;
  /** Every declared external input, by fact key. */
  readonly externalByKey: Map<string, { cluster: string; input: ExternalInput; used: boolean }>;
  /** Who provides each fact (for messages): file and Kustomization. */
  readonly providers: Map<string, string[]>;
  ctx(cluster: string, before?: Set<string>): KnowledgeContext;
  /** Facts an object brings: itself (and a Namespace/CRD it defines). */
  appliedFacts(o: AppliedObject): string[];
  /** Facts that exist once the object is Ready. */
  readyFacts(o: AppliedObject, before?: Set<string>): string[];
  references(o: AppliedObject, before?: Set<string>): Reference[];
}

export interface ReconcileModelOptions {
  /** @default - the repository's verified cache, or the shipped schema pack in an installed package */
  readonly cache?: UpstreamSource;
}

function meta(o: JsonObject): { name: string; namespace?: string } {
  const name = stringField(field(o, 'metadata'), 'name') ?? '';
  const namespace = stringField(field(o, 'metadata'), 'namespace');
  return namespace ? { name, namespace } : { name };
}

function isFluxKustomization(o: JsonObject): boolean {
  return stringField(o, 'kind') === 'Kustomization' && groupOf(stringField(o, 'apiVersion')) === 'kustomize.toolkit.fluxcd.io';
}

function idOf(o: JsonObject): string {
  const m = meta(o);
  return `${m.namespace ?? 'default'}/${m.name}`;
}

/** `./dist/mgmt/configs` → `mgmt/configs` (the part from the first cluster folder on). */
function relativePath(path: string, clusters: ReadonlySet<string>): string | undefined {
  const segs = path.replace(/^\.\//, '').split('/').filter((s) => s.length > 0 && s !== '.');
  const i = segs.findIndex((s) => clusters.has(s));
  return i < 0 ? undefined : segs.slice(i).join('/');
}

function normalizeUrl(url: string | undefined): string {
  return (url ?? '').replace(/\.git$/, '').replace(/\/$/, '');
}

/** Builds the model of a fleet and replays it. */
export function buildReconcileModel(inputs: readonly ReconcileClusterInput[], options: ReconcileModelOptions = {}): FleetModel {
  let cacheInstance = options.cache;
  const cache = (): UpstreamSource => (cacheInstance ??= defaultUpstreamSource());
  const names = new Set(inputs.map((c) => c.name));
  const all = inputs.flatMap((c) => c.manifests.map((m) => ({ ...m, cluster: c.name })));
  const byCluster = new Map(inputs.map((c) => [c.name, c]));

  // Index objects per cluster folder for lookups (ConfigMaps of values, OCIRepositories, Clusters).
  const objectIndex = new Map<string, JsonObject>();
  for (const m of all) {
    const o = m.object;
    objectIndex.set(`${m.cluster}|${groupOf(stringField(o, 'apiVersion'))}/${stringField(o, 'kind')}|${meta(o).namespace ?? ''}/${meta(o).name}`, o);
  }
  const lookup = (cluster: string, group: string, kind: string, namespace: string, name: string): JsonObject | undefined =>
    objectIndex.get(`${cluster}|${group}/${kind}|${namespace}/${name}`);
  const clusterOfObject = new Map<JsonObject, string>(all.map((m) => [m.object, m.cluster]));
  const folderOf = (o: JsonObject): string | undefined => clusterOfObject.get(o);

  const remoteClusterOf = (o: JsonObject): string | undefined => {
    const secretName = stringField(field(o, 'spec', 'kubeConfig', 'secretRef'), 'name');
    if (!secretName) return undefined;
    if (isFluxKustomization(o)) {
      const rel = relativePath(stringField(field(o, 'spec'), 'path') ?? '', names);
      if (rel) return rel.split('/')[0];
    }
    return secretName.replace(/-kubeconfig$/, '');
  };

  const externalByKey = new Map<string, { cluster: string; input: ExternalInput; used: boolean }>();
  for (const c of inputs) {
    for (const input of c.externalInputs ?? []) {
      externalByKey.set(factKey(c.name, { group: input.group ?? '', kind: input.kind, namespace: input.namespace, name: input.name }), { cluster: c.name, input, used: false });
    }
  }

  const certManagerNamespaces = new Map<string, string>();
  const certManagerNamespace = (cluster: string): string => {
    const hit = certManagerNamespaces.get(cluster);
    if (hit) return hit;
    const found = findCertManagerNamespace(cluster);
    certManagerNamespaces.set(cluster, found);
    return found;
  };
  const findCertManagerNamespace = (cluster: string): string => {
    const hr = (byCluster.get(cluster)?.manifests ?? []).find((m) => stringField(m.object, 'kind') === 'HelmRelease' && stringField(field(m.object, 'spec', 'chart', 'spec'), 'chart') === 'cert-manager');
    return (hr && (stringField(field(hr.object, 'spec'), 'targetNamespace') ?? meta(hr.object).namespace)) ?? 'cert-manager';
  };

  const valuesCache = new Map<JsonObject, JsonObject>();
  const model: FleetModel = {
    clusters: [],
    byName: new Map(),
    externalByKey,
    providers: new Map(),
    ctx(cluster: string, before?: Set<string>): KnowledgeContext {
      return {
        crdsUnder: (prefix) => lockedCrdsUnder(cache(), prefix),
        lockedChartCrds: (chart) => {
          const source = cache();
          const component = (source instanceof SchemaPack ? source.charts : source.lock.charts)[chart]?.component;
          if (!component) return undefined;
          const prefix = `${component}/crds/`;
          const pinned = source instanceof SchemaPack ? source.data.crds.some((c) => c.file.startsWith(prefix)) : source.files((f) => f.path.startsWith(prefix)).length > 0;
          return pinned ? prefix : undefined;
        },
        remoteClusterOf,
        certManagerNamespace: certManagerNamespace(cluster),
        chartOf: (hr) => chartNameOf(hr, (name, ns) => stringField(field(lookup(cluster, 'source.toolkit.fluxcd.io', 'OCIRepository', ns, name), 'spec'), 'url')),
        servedBefore: (group, kind, target) => BUILT_IN_GROUPS.has(group) || (before?.has(factKey(target ?? cluster, { group, kind, served: true })) ?? false),
        valuesOf: (hr) => {
          const hit = valuesCache.get(hr);
          if (hit) return hit;
          const ns = meta(hr).namespace ?? '';
          let values: JsonObject = {};
          for (const v of Array.isArray(field(hr, 'spec', 'valuesFrom')) ? (field(hr, 'spec', 'valuesFrom') as unknown[]) : []) {
            const kind = stringField(v, 'kind');
            const src = kind === 'ConfigMap' ? lookup(cluster, '', 'ConfigMap', ns, stringField(v, 'name') ?? '') : undefined;
            const text = stringField(field(src, 'data'), stringField(v, 'valuesKey') ?? 'values.yaml');
            // With targetPath, the key's content is the value at that path (a Secret's is unknown
            // here: a placeholder says the path is set). https://fluxcd.io/flux/components/helm/helmreleases/#values-references
            const targetPath = stringField(v, 'targetPath');
            if (targetPath) {
              const value = kind === 'ConfigMap' ? text : `<${kind} ${ns}/${stringField(v, 'name')} ${stringField(v, 'valuesKey') ?? 'values.yaml'}>`;
              if (value !== undefined) values = mergeValues(values, atPath(targetPath, value));
              continue;
            }
            if (text) {
              const parsed = parseYamlDocument(text, `${ns}/${stringField(v, 'name')}`);
              if (isJsonObject(parsed)) values = mergeValues(values, parsed);
            }
          }
          const inline = field(hr, 'spec', 'values');
          if (isJsonObject(inline)) values = mergeValues(values, inline);
          valuesCache.set(hr, values);
          return values;
        },
      };
    },
    appliedFacts(o: AppliedObject): string[] {
      const group = groupOf(stringField(o.object, 'apiVersion'));
      const kind = stringField(o.object, 'kind') ?? '';
      const m = meta(o.object);
      const out = [factKey(o.target, { group, kind, namespace: m.namespace, name: m.name })];
      if (kind === 'CustomResourceDefinition') {
        const g = stringField(field(o.object, 'spec'), 'group');
        const k = stringField(field(o.object, 'spec', 'names'), 'kind');
        if (g && k) out.push(factKey(o.target, { group: g, kind: k, served: true }));
      }
      return out;
    },
    readyFacts(o: AppliedObject, before?: Set<string>): string[] {
      const ctx = model.ctx(folderOf(o.object) ?? o.target, before);
      return knowledgeFor(o.object).flatMap((k) => (k.providesOnceReady ? k.providesOnceReady(o.object, ctx) : [])).map((t) => factKey(o.target, t));
    },
    references(o: AppliedObject, before?: Set<string>): Reference[] {
      const ctx = model.ctx(folderOf(o.object) ?? o.target, before);
      return knowledgeFor(o.object).flatMap((k) => (k.references ? k.references(o.object, ctx) : []));
    },
  };

  const provide = (key: string, by: string): void => {
    const list = model.providers.get(key) ?? [];
    if (!list.includes(by)) list.push(by);
    model.providers.set(key, list);
  };

  // Every folder of every file → the files below it, in fleet order.
  const underFolder = new Map<string, typeof all>();
  for (const x of all) {
    const segs = x.file.split('/');
    for (let i = 1; i < segs.length; i++) {
      const dir = segs.slice(0, i).join('/');
      const list = underFolder.get(dir);
      if (list) list.push(x);
      else underFolder.set(dir, [x]);
    }
  }

  // Kustomization nodes of every cluster.
  const nodesByCluster = new Map<string, KustomizationNode[]>();
  const covered = new Set<string>();
  for (const c of inputs) {
    const nodes: KustomizationNode[] = [];
    for (const m of c.manifests.filter((x) => isFluxKustomization(x.object))) {
      const o = m.object;
      const target = remoteClusterOf(o) ?? c.name;
      const src = field(o, 'spec', 'sourceRef');
      const srcName = stringField(src, 'name');
      const srcNs = stringField(src, 'namespace') ?? meta(o).namespace ?? '';
      const path = stringField(field(o, 'spec'), 'path') ?? './';
      const applied: AppliedObject[] = [];
      let upstream: UpstreamRelease | undefined;
      let unknownContent: string | undefined;
      const srcObj = lookup(c.name, 'source.toolkit.fluxcd.io', stringField(src, 'kind') ?? 'GitRepository', srcNs, srcName ?? '');
      const isFleetRepo = srcName === 'flux-system' && srcNs === 'flux-system';
      if (isFleetRepo) {
        const rel = relativePath(path, names);
        if (rel) {
          // Files below the path, in fleet order (an index by folder: a scan of the whole fleet per
          // Kustomization made the model quadratic in the number of clusters).
          for (const x of underFolder.get(rel) ?? []) {
            if (/\.ya?ml$/.test(x.file)) {
              applied.push({ file: x.file, object: x.object, target, ...(x.constructPath ? { constructPath: x.constructPath } : {}) });
              covered.add(x.file);
            }
          }
        } else unknownContent = `path "${path}" is outside every cluster folder of the fleet`;
      } else {
        const url = normalizeUrl(stringField(field(srcObj, 'spec'), 'url'));
        upstream = UPSTREAM_RELEASES.find((u) => normalizeUrl(u.url) === url && u.path.replace(/^\.\//, '') === path.replace(/^\.\//, ''));
        // A tenant's own Kustomization (decision 0093): its content is the tenant's, unknown to the
        // fleet by design; the lockdown and the tenant's RBAC confine it to the tenant's namespaces.
        const tenant = isJsonObject(field(o, 'metadata', 'labels')) ? stringField(field(o, 'metadata', 'labels'), 'toolkit.fluxcd.io/tenant') : undefined;
        const tenantContent = tenant !== undefined && stringField(field(o, 'spec'), 'serviceAccountName') !== undefined && srcNs === meta(o).namespace;
        if (!upstream && !tenantContent) unknownContent = `source ${stringField(src, 'kind') ?? 'GitRepository'} ${srcNs}/${srcName} (${url || 'not in the fleet'}) path ${path} is no upstream release the model knows (lib/reconcile/knowledge.ts UPSTREAM_RELEASES)`;
      }
      const wait = field(o, 'spec', 'wait') === true;
      const checks = Array.isArray(field(o, 'spec', 'healthChecks')) ? (field(o, 'spec', 'healthChecks') as unknown[]).filter(isJsonObject) : [];
      const waitsFor = wait
        ? applied
        : applied.filter((a) =>
            checks.some(
              (h) =>
                stringField(h, 'kind') === stringField(a.object, 'kind') &&
                groupOf(stringField(h, 'apiVersion')) === groupOf(stringField(a.object, 'apiVersion')) &&
                stringField(h, 'name') === meta(a.object).name &&
                (stringField(h, 'namespace') ?? meta(o).namespace) === (meta(a.object).namespace ?? stringField(h, 'namespace') ?? meta(o).namespace),
            ),
          );
      const dependsOn = (Array.isArray(field(o, 'spec', 'dependsOn')) ? (field(o, 'spec', 'dependsOn') as unknown[]) : [])
        .filter(isJsonObject)
        .map((d) => `${stringField(d, 'namespace') ?? meta(o).namespace}/${stringField(d, 'name')}`);
      nodes.push({
        id: idOf(o),
        file: m.file,
        object: o,
        cluster: c.name,
        target,
        applied,
        ...(upstream ? { upstream } : {}),
        ...(unknownContent ? { unknownContent } : {}),
        dependsOn,
        wait,
        waitsFor,
      });
    }
    nodesByCluster.set(c.name, nodes);
  }
  // Parents: the Kustomization of the same cluster (applying to it) whose content holds the object.
  for (const [cluster, nodes] of nodesByCluster) {
    for (const n of nodes) {
      n.parent = nodes.find((p) => p !== n && p.target === cluster && p.applied.some((a) => a.object === n.object));
    }
  }
  // Provider index for messages.
  for (const nodes of nodesByCluster.values()) {
    for (const n of nodes) {
      for (const a of n.applied) {
        for (const f of model.appliedFacts(a)) provide(f, `dist/${a.file} (Kustomization ${n.id})`);
        for (const f of model.readyFacts(a, undefined)) provide(f, `dist/${a.file} once Ready (Kustomization ${n.id})`);
      }
      if (n.upstream) for (const f of upstreamFacts(n)) provide(f, `upstream release ${n.upstream.url} ${n.upstream.path} (Kustomization ${n.id})`);
    }
  }
  for (const [key, e] of externalByKey) provide(key, `the external input ${e.input.kind} ${thingName({ group: '', kind: e.input.kind, namespace: e.input.namespace, name: e.input.name })} (${e.input.providedBy})`);

  function upstreamFacts(n: KustomizationNode): string[] {
    if (!n.upstream) return [];
    const out: string[] = [];
    for (const crd of n.upstream.crds ? lockedCrdsUnder(cache(), n.upstream.crds) : []) {
      out.push(factKey(n.target, { group: crd.group, kind: crd.kind, served: true }), factKey(n.target, { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: crd.name }));
    }
    for (const t of n.upstream.objects) out.push(factKey(n.target, t));
    return out;
  }

  const freshFacts = (cluster: string): string[] => BUILT_IN_NAMESPACES.map((ns) => factKey(cluster, { group: '', kind: 'Namespace', name: ns }));
  const fluxBootstrapFacts = (cluster: string): string[] => [
    factKey(cluster, { group: '', kind: 'Namespace', name: 'flux-system' }),
    ...lockedCrdsUnder(cache(), FLUX_CRDS_PREFIX).map((c) => factKey(cluster, { group: c.group, kind: c.kind, served: true })),
  ];

  // Replay: clusters bootstrapped by another cluster's remote Kustomization come after it.
  const bootstrappedBy = (cluster: string): KustomizationNode | undefined =>
    [...nodesByCluster.entries()]
      .filter(([c]) => c !== cluster)
      .flatMap(([, ns]) => ns)
      .find((n) => n.target === cluster && n.applied.some((a) => a.file.startsWith(`${cluster}/flux-system/`)));
  const done = new Set<string>();
  const replay = (cluster: string, stack: string[]): void => {
    if (done.has(cluster)) return;
    done.add(cluster);
    const by = bootstrappedBy(cluster);
    if (by && !stack.includes(by.cluster)) replay(by.cluster, [...stack, cluster]);
    const base = new Set<string>(freshFacts(cluster));
    // A remote target exists when its kubeconfig does: its API server has created the built-in
    // namespaces (a CCM's ConfigMap in kube-system, applied from mgmt).
    for (const n of nodesByCluster.get(cluster) ?? []) if (n.target !== cluster) for (const f of freshFacts(n.target)) base.add(f);
    if (by?.after) for (const f of by.after) if (f.startsWith(`${cluster}|`)) base.add(f);
    if (by) for (const a of by.applied) for (const f of model.appliedFacts(a)) base.add(f);
    if (!by) for (const f of fluxBootstrapFacts(cluster)) base.add(f);
    const nodes = nodesByCluster.get(cluster) ?? [];
    replayCluster(nodes, base);
    const input = byCluster.get(cluster)!;
    const notApplied = input.manifests.map((m) => m.file).filter((f) => !covered.has(f));
    const cm: ClusterModel = { name: cluster, kustomizations: nodes, externalInputs: input.externalInputs ?? [], base, notApplied, ...(by ? { bootstrappedBy: `${by.cluster} ${by.id}` } : {}) };
    model.clusters.push(cm);
    model.byName.set(cluster, cm);
  };

  function replayCluster(nodes: KustomizationNode[], base: Set<string>): void {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const pending = new Set(nodes);
    // start(n) needs start(parent) and ready(dependsOn); ready(n) needs start(n) and ready(children waited for).
    const started = new Set<KustomizationNode>();
    const ready = new Set<KustomizationNode>();
    const childrenWaited = (n: KustomizationNode): KustomizationNode[] => nodes.filter((c) => c.parent === n && n.waitsFor.some((w) => w.object === c.object));
    let progress = true;
    while (progress) {
      progress = false;
      for (const n of pending) {
        if (!started.has(n)) {
          const parentOk = !n.parent || started.has(n.parent);
          const deps = n.dependsOn.map((d) => byId.get(d));
          if (parentOk && deps.every((d) => d && ready.has(d))) {
            const before = new Set<string>(base);
            if (n.parent) {
              for (const f of n.parent.before!) before.add(f);
              for (const a of n.parent.applied) for (const f of model.appliedFacts(a)) before.add(f);
            }
            for (const d of deps) for (const f of d!.after!) before.add(f);
            n.before = before;
            n.wave = Math.max(n.parent ? n.parent.wave! + 1 : 1, ...deps.map((d) => d!.readyWave! + 1));
            started.add(n);
            progress = true;
          }
        }
        if (started.has(n) && !ready.has(n)) {
          const kids = childrenWaited(n);
          if (kids.every((k) => ready.has(k))) {
            const after = new Set<string>(n.before!);
            for (const a of n.applied) for (const f of model.appliedFacts(a)) after.add(f);
            for (const f of upstreamFacts(n)) after.add(f);
            for (const a of n.waitsFor) for (const f of model.readyFacts(a, n.before)) after.add(f);
            for (const k of kids) for (const f of k.after!) after.add(f);
            n.after = after;
            n.readyWave = Math.max(n.wave!, ...kids.map((k) => k.readyWave!));
            ready.add(n);
            pending.delete(n);
            progress = true;
          }
        }
      }
    }
  }

  for (const c of [...names].sort()) replay(c, []);
  model.clusters.sort((a, b) => inputs.findIndex((i) => i.name === a.name) - inputs.findIndex((i) => i.name === b.name));
  return model;
}

/** `{ a: { b: value } }` for the Helm-style path `a.b` (Flux valuesFrom targetPath). */
function atPath(path: string, value: string): JsonObject {
  return path
    .split('.')
    .reverse()
    .reduce<JsonObject | string>((inner, key) => ({ [key]: inner }), value) as JsonObject;
}
