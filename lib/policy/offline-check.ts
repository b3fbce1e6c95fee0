/**
 * The baseline rules in CI, offline (issue 15 point 2; decision 0092): every rule over every
 * workload the fleet renders, without a cluster. The design's rules are evaluated from the
 * ValidatingPolicies in dist/ themselves; the Pod Security Standards from the pinned
 * `kyverno-policies` ValidatingPolicy files read through the verified upstream cache (never
 * copied). CEL runs on @bufbuild/cel; Kyverno's optional-field syntax (`a.?b.orValue(x)`), which
 * that evaluator does not parse, is rewritten to `has()` tests first. Run it with `npm run policy`.
 *
 * Node-only (reads the cache, needs the dev dependency @bufbuild/cel): not exported from lib/index.ts.
 */
import { celEnv, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { parse as parseYaml } from 'yaml';
import { UpstreamCache } from '../upstream/lock';
import { PSS_BASELINE, PSS_RESTRICTED_ONLY } from './policy-baseline';

type Json = Record<string, unknown>;
/** A rendered object and its file (relative to dist/, first segment = cluster). */
export interface RenderedObject {
  readonly file: string;
  readonly object: Json;
}

/** One policy the offline check evaluates. */
export interface OfflinePolicy {
  readonly name: string;
  /** Where its CEL came from (a dist/ file or a locked upstream path). */
  readonly source: string;
  readonly kinds: readonly string[];
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly validations: ReadonlyArray<{ readonly expression: string; readonly message?: string }>;
  readonly matchConditions: ReadonlyArray<{ readonly expression: string }>;
  /** Namespaces it skips (chart `vpolExclude`). */
  readonly excludedNamespaces: readonly string[];
}

export interface PolicyViolation {
  readonly cluster: string;
  readonly policy: string;
  /** `Kind namespace/name` of the object (for chart values: `HelmRelease ns/name values`). */
  readonly object: string;
  readonly file: string;
  readonly message: string;
  /** The exemption (PolicyException name) that covers it, if any. */
  readonly exemptedBy?: string;
}

export interface PolicyCheckResult {
  readonly violations: readonly PolicyViolation[];
  /** Covered by an exemption: listed, not failing. */
  readonly exempted: readonly PolicyViolation[];
  /** cluster → policy names evaluated there. */
  readonly policies: ReadonlyMap<string, readonly string[]>;
  /** Objects checked (pods from templates, chart images, Namespaces, Gateways, Ingresses). */
  readonly objectsChecked: number;
}

/** Rewrites `x.?a.?b.orValue(d)` (CEL optional syntax) to `((has(x.a) && has(x.a.b)) ? x.a.b : (d))`. */
export function desugarOptionals(expr: string): string {
  const re = /([A-Za-z_][A-Za-z0-9_]*)((?:\.\??[A-Za-z_][A-Za-z0-9_]*)*\.\?[A-Za-z_][A-Za-z0-9_]*(?:\.\??[A-Za-z_][A-Za-z0-9_]*)*)\.orValue\(/;
  let out = expr;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    const open = m.index + m[0].length;
    let depth = 1;
    let i = open;
    for (; i < out.length && depth > 0; i++) {
      if (out[i] === '(') depth++;
      else if (out[i] === ')') depth--;
    }
    const dflt = out.slice(open, i - 1);
    const segs = m[2].split('.').slice(1);
    const firstOpt = segs.findIndex((s) => s.startsWith('?'));
    const clean = segs.map((s) => s.replace(/^\?/, ''));
    const tests: string[] = [];
    for (let k = firstOpt; k < clean.length; k++) tests.push(`has(${m[1]}.${clean.slice(0, k + 1).join('.')})`);
    const full = `${m[1]}.${clean.join('.')}`;
    out = `${out.slice(0, m.index)}((${tests.join(' && ')}) ? ${full} : (${dflt}))${out.slice(i)}`;
  }
  return out;
}

function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return new Map(Object.entries(v as Json).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

const ENV = celEnv({ funcs: strings });
const PLANS = new Map<string, (bindings: never) => unknown>();

/** Evaluates `expr` (planned once per expression); a CEL error is returned as a value, never thrown. */
function evalCel(expr: string, bindings: Record<string, unknown>): unknown {
  let planned = PLANS.get(expr);
  if (!planned) {
    try {
      planned = plan(ENV, parse(desugarOptionals(expr))) as (bindings: never) => unknown;
    } catch (e) {
      const error = e;
      planned = () => error;
    }
    PLANS.set(expr, planned);
  }
  try {
    return planned(bindings as never);
  } catch (e) {
    return e;
  }
}

/**
 * Evaluates one policy over one object. Returns the messages of the failed validations
 * ([] = passes or not matched). `namespaceObject` is the object's Namespace (or null).
 */
export function evaluatePolicy(policy: OfflinePolicy, object: Json, namespaceObject: Json | null, converted?: { object: unknown; namespaceObject: unknown }): string[] {
  if (!policy.kinds.includes(String(object.kind))) return [];
  const meta = (object.metadata ?? {}) as { namespace?: string; name?: string };
  const ns = object.kind === 'Namespace' ? meta.name : meta.namespace;
  if (ns && policy.excludedNamespaces.includes(ns)) return [];
  const bindings: Record<string, unknown> = converted
    ? { ...converted, oldObject: null }
    : { object: toCel(object), namespaceObject: namespaceObject ? toCel(namespaceObject) : null, oldObject: null };
  for (const c of policy.matchConditions) if (evalCel(c.expression, bindings) !== true) return [];
  const variables = new Map<string, unknown>();
  bindings.variables = variables;
  for (const v of policy.variables) variables.set(v.name, evalCel(v.expression, bindings));
  const failed: string[] = [];
  for (const v of policy.validations) {
    const result = evalCel(v.expression, bindings);
    if (result !== true) failed.push(v.message ?? v.expression);
  }
  return failed;
}

/** A policy from a `ValidatingPolicy` object (dist/ or upstream file). */
export function offlinePolicy(object: Json, source: string, excludedNamespaces: readonly string[] = []): OfflinePolicy {
  const spec = (object.spec ?? {}) as Json;
  const rules = ((spec.matchConstraints as Json | undefined)?.resourceRules ?? []) as Array<{ resources?: string[] }>;
  const resources = rules.flatMap((r) => r.resources ?? []);
  // Pod rules reach workloads through their templates (podOf), as Kyverno autogen does in the cluster.
  const kinds = resources.map((r) => RESOURCE_KINDS[r] ?? r);
  return {
    name: String((object.metadata as Json).name),
    source,
    kinds: [...new Set(kinds)],
    variables: (spec.variables ?? []) as OfflinePolicy['variables'],
    validations: (spec.validations ?? []) as OfflinePolicy['validations'],
    matchConditions: (spec.matchConditions ?? []) as OfflinePolicy['matchConditions'],
    excludedNamespaces,
  };
}

const RESOURCE_KINDS: Record<string, string> = {
  pods: 'Pod',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  namespaces: 'Namespace',
  gateways: 'Gateway',
  ingresses: 'Ingress',
};

/** The pinned upstream PSS policies the `kyverno-policies` chart installs for `standard`. */
export function upstreamPssPolicies(cache: UpstreamCache, standard: string): Array<{ path: string; object: Json }> {
  const names = standard === 'restricted' ? [...PSS_BASELINE, ...PSS_RESTRICTED_ONLY] : standard === 'baseline' ? [...PSS_BASELINE] : [];
  return names.map((name) => {
    const folder = PSS_BASELINE.includes(name) ? 'baseline' : 'restricted';
    const path = `kyverno-policies/pod-security-vpol/${folder}/${name}/${name}.yaml`;
    return { path, object: parseYaml(cache.read(path)) as Json };
  });
}

const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** The Pod a workload's template makes (Kyverno autogen applies pod rules to it). */
export function podOf(o: Json): Json | undefined {
  const spec = (o.spec ?? {}) as Json;
  const template = o.kind === 'Pod' ? o : POD_TEMPLATE_KINDS.includes(String(o.kind)) ? (spec.template as Json | undefined) : o.kind === 'CronJob' ? (((spec.jobTemplate as Json | undefined)?.spec as Json | undefined)?.template as Json | undefined) : undefined;
  if (!template) return undefined;
  const meta = (o.metadata ?? {}) as Json;
  const tmeta = (template.metadata ?? {}) as Json;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...tmeta, name: `${String(meta.name)}`, namespace: meta.namespace }, spec: template.spec };
}

/** Image references a chart's values name (`image: {registry, repository, tag, digest}` or `image: "ref"`). */
export function imagesInValues(values: unknown, path = ''): Array<{ path: string; image: string }> {
  const out: Array<{ path: string; image: string }> = [];
  if (Array.isArray(values)) values.forEach((v, i) => out.push(...imagesInValues(v, `${path}[${i}]`)));
  else if (values && typeof values === 'object') {
    for (const [k, v] of Object.entries(values as Json)) {
      const p = path ? `${path}.${k}` : k;
      if (k === 'image' && typeof v === 'string' && v.length > 0) out.push({ path: p, image: v });
      else if (k === 'image' && v && typeof v === 'object' && typeof (v as Json).repository === 'string' && (v as Json).repository) {
        const img = v as { registry?: unknown; repository: string; tag?: unknown; digest?: unknown };
        const registry = typeof img.registry === 'string' && img.registry ? `${img.registry}/` : '';
        const tag = img.digest ? `@${String(img.digest)}` : img.tag !== undefined && img.tag !== null && String(img.tag) !== '' ? `:${String(img.tag)}` : ':chart-appversion';
        out.push({ path: p, image: `${registry}${img.repository}${tag}` });
      } else out.push(...imagesInValues(v, p));
    }
  }
  return out;
}

/**
 * What a chart's values say about host access: `privileged: true`, `hostNetwork`/`hostPID`/`hostIPC: true`
 * and `hostPath` entries anywhere in the merged values, as a Pod the PSS rules can judge. A hint:
 * values of a switched-off part of the chart count too, so a finding in a namespace that is not
 * exempted must be fixed in the values or exempted with a reason.
 */
export function hostAccessInValues(values: unknown, path = ''): Array<{ path: string; what: 'privileged' | 'hostNetwork' | 'hostPID' | 'hostIPC' | 'hostPath' }> {
  const out: Array<{ path: string; what: 'privileged' | 'hostNetwork' | 'hostPID' | 'hostIPC' | 'hostPath' }> = [];
  if (Array.isArray(values)) values.forEach((v, i) => out.push(...hostAccessInValues(v, `${path}[${i}]`)));
  else if (values && typeof values === 'object') {
    for (const [k, v] of Object.entries(values as Json)) {
      const p = path ? `${path}.${k}` : k;
      if ((k === 'privileged' || k === 'hostNetwork' || k === 'hostPID' || k === 'hostIPC') && v === true) out.push({ path: p, what: k });
      else if (k === 'hostPath' && v && (typeof v === 'string' || (typeof v === 'object' && !Array.isArray(v) && typeof (v as Json).path === 'string'))) out.push({ path: p, what: 'hostPath' });
      else out.push(...hostAccessInValues(v, p));
    }
  }
  return out;
}

const PINNED_VALUES = new WeakMap<UpstreamCache, Map<string, unknown>>();
/** A chart's pinned values.yaml, parsed once per cache (read-only: merges copy). */
function pinnedValues(cache: UpstreamCache, path: string): unknown {
  let byPath = PINNED_VALUES.get(cache);
  if (!byPath) PINNED_VALUES.set(cache, (byPath = new Map()));
  if (!byPath.has(path)) byPath.set(path, parseYaml(cache.read(path)) ?? {});
  return byPath.get(path);
}

function deepMergeJson(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Json = { ...(a as Json) };
    for (const [k, v] of Object.entries(b as Json)) out[k] = k in out ? deepMergeJson(out[k], v) : v;
    return out;
  }
  return b === null ? undefined : b;
}

/**
 * Runs every baseline rule over every workload of `objects` (a rendered fleet), cluster by
 * cluster, and sorts the violations into failing and exempted.
 */
export function checkFleetPolicies(objects: readonly RenderedObject[], cache: UpstreamCache = UpstreamCache.default()): PolicyCheckResult {
  const byCluster = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    const cluster = o.file.split('/')[0];
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), o]);
  }
  const violations: PolicyViolation[] = [];
  const exempted: PolicyViolation[] = [];
  const policiesByCluster = new Map<string, string[]>();
  let checked = 0;
  for (const [cluster, items] of [...byCluster.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const of = (kind: string) => items.filter((i) => i.object.kind === kind);
    const nameOf = (o: Json) => String((o.metadata as Json | undefined)?.name ?? '');
    const nsOf = (o: Json) => (o.metadata as Json | undefined)?.namespace as string | undefined;
    const namespaces = new Map(of('Namespace').map((n) => [nameOf(n.object), n.object]));
    // The policies of the cluster: its ValidatingPolicies, the PSS chart's from the cache.
    const policies: OfflinePolicy[] = items.filter((i) => i.object.kind === 'ValidatingPolicy').map((i) => offlinePolicy(i.object, `dist/${i.file}`));
    const valuesOf = (hr: Json): Json => {
      const cm = items.find((i) => i.object.kind === 'ConfigMap' && nameOf(i.object) === `${nameOf(hr)}-values` && nsOf(i.object) === nsOf(hr));
      const text = (cm?.object.data as Json | undefined)?.['values.yaml'];
      return typeof text === 'string' ? ((parseYaml(text) as Json | null) ?? {}) : {};
    };
    const chartOf = (hr: Json) => String(((((hr.spec as Json).chart as Json | undefined)?.spec as Json | undefined)?.chart as string | undefined) ?? nameOf(hr));
    const releases = of('HelmRelease');
    for (const hr of releases.filter((r) => chartOf(r.object) === 'kyverno-policies')) {
      const v = valuesOf(hr.object) as { podSecurityStandard?: string; vpolExclude?: { excludeNamespaces?: string[] }; vpolExcludeByPolicy?: Record<string, { excludeNamespaces?: string[] }> };
      for (const u of upstreamPssPolicies(cache, v.podSecurityStandard ?? 'baseline')) {
        const name = nameOf(u.object);
        const excluded = v.vpolExcludeByPolicy?.[name]?.excludeNamespaces ?? v.vpolExclude?.excludeNamespaces ?? [];
        policies.push(offlinePolicy(u.object, u.path, excluded));
      }
    }
    policiesByCluster.set(cluster, [...new Set(policies.map((p) => p.name))].sort());
    const exceptions = items
      .filter((i) => i.object.kind === 'PolicyException')
      .map((i) => ({ name: nameOf(i.object), spec: i.object.spec as { policyRefs?: Array<{ name: string }>; matchConditions?: Array<{ expression: string }> } }));
    const exemptionFor = (policy: string, object: Json): string | undefined =>
      exceptions.find((e) => (e.spec.policyRefs ?? []).some((r) => r.name === policy) && (e.spec.matchConditions ?? []).every((c) => evalCel(c.expression, { object: toCel(object) }) === true))?.name;
    const report = (policy: string, object: Json, what: string, file: string, message: string) => {
      const by = exemptionFor(policy, object);
      const v: PolicyViolation = { cluster, policy, object: what, file, message, ...(by ? { exemptedBy: by } : {}) };
      (by ? exempted : violations).push(v);
    };

    // Candidates: pods of every workload template, Namespaces, Gateways, Ingresses; workloads for labels.
    const candidates: Array<{ object: Json; file: string; what: string }> = [];
    for (const i of items) {
      const pod = podOf(i.object);
      if (pod && i.object.kind !== 'Pod') candidates.push({ object: pod, file: i.file, what: `${String(i.object.kind)} ${nsOf(i.object)}/${nameOf(i.object)} (pod template)` });
      if (['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Namespace', 'Gateway', 'Ingress'].includes(String(i.object.kind))) {
        candidates.push({ object: i.object, file: i.file, what: `${String(i.object.kind)} ${nsOf(i.object) ? `${nsOf(i.object)}/` : ''}${nameOf(i.object)}` });
      }
    }
    // Charts: the images of the pinned values merged with ours, as a Pod in the release namespace.
    for (const hr of releases) {
      const chart = chartOf(hr.object);
      const pinned = cache.lock.charts[chart];
      if (!pinned?.valuesPath) continue;
      const merged = deepMergeJson(pinnedValues(cache, pinned.valuesPath), valuesOf(hr.object));
      const ns = String(((hr.object.spec as Json).targetNamespace as string | undefined) ?? nsOf(hr.object));
      // The chart's workloads carry labels only the engine sees: the owner rule reads their Namespace.
      candidates.push({ object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: nameOf(hr.object), namespace: ns } }, file: hr.file, what: `HelmRelease ${ns}/${nameOf(hr.object)} chart ${chart} workloads` });
      const host = hostAccessInValues(merged);
      if (host.length > 0) {
        const has = (w: string) => host.some((h) => h.what === w);
        const spec = {
          ...(has('hostNetwork') ? { hostNetwork: true } : {}),
          ...(has('hostPID') ? { hostPID: true } : {}),
          ...(has('hostIPC') ? { hostIPC: true } : {}),
          ...(has('hostPath') ? { volumes: [{ name: 'host', hostPath: { path: '/' } }] } : {}),
          containers: [{ name: 'values', image: 'values', ...(has('privileged') ? { securityContext: { privileged: true } } : {}) }],
        };
        candidates.push({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${nameOf(hr.object)}-host-access`, namespace: ns }, spec }, file: hr.file, what: `HelmRelease ${ns}/${nameOf(hr.object)} chart ${chart} values host access (${host.map((h) => h.path).join(', ')})` });
      }
      const images = imagesInValues(merged);
      if (images.length === 0) continue;
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${nameOf(hr.object)}-chart-values`, namespace: ns }, spec: { containers: images.map((im, k) => ({ name: `c${k}`, image: im.image })) } };
      candidates.push({ object: pod, file: hr.file, what: `HelmRelease ${ns}/${nameOf(hr.object)} chart ${chart} values (${images.map((im) => im.path).join(', ')})` });
    }
    const imageOnly = new Set(['require-image-tag-or-digest', 'restrict-image-registries']);
    const hostOnly = new Set(['disallow-privileged-containers', 'disallow-host-path', 'disallow-host-namespaces']);
    for (const c of candidates) {
      checked++;
      const hostPod = c.what.startsWith('HelmRelease ') && c.what.includes(' values host access ');
      const chartPod = c.what.startsWith('HelmRelease ') && c.object.kind === 'Pod' && !hostPod;
      const chartWorkload = c.what.startsWith('HelmRelease ') && c.object.kind !== 'Pod';
      const ns = c.object.kind === 'Namespace' ? undefined : nsOf(c.object);
      const nsObject = ns ? (namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) : null;
      const converted = { object: toCel(c.object), namespaceObject: nsObject ? toCel(nsObject) : null };
      for (const p of policies) {
        if (p.name === 'require-network-policy') continue;
        if (chartPod && !imageOnly.has(p.name)) continue;
        if (hostPod && !hostOnly.has(p.name)) continue;
        if (chartWorkload && p.name !== 'require-owner-label') continue;
        for (const message of evaluatePolicy(p, c.object, nsObject, converted)) report(p.name, c.object, c.what, c.file, message);
      }
    }
    // Offline-only parts: a network policy per namespace with pods; HTTP listeners only redirect.
    const netpol = policies.find((p) => p.name === 'require-network-policy');
    if (netpol) {
      const used = new Set<string>([
        ...items.filter((i) => podOf(i.object)).map((i) => nsOf(i.object) ?? ''),
        ...releases.filter((r) => chartOf(r.object) !== 'kyverno-policies').map((r) => String(((r.object.spec as Json).targetNamespace as string | undefined) ?? nsOf(r.object))),
      ]);
      const covered = new Set(items.filter((i) => i.object.kind === 'NetworkPolicy' || i.object.kind === 'CiliumNetworkPolicy').map((i) => nsOf(i.object)));
      for (const ns of [...used].filter(Boolean).sort()) {
        const nsObject = namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
        if (netpol.matchConditions.some((m) => evalCel(m.expression, { object: toCel(nsObject) }) !== true)) continue;
        if (!covered.has(ns)) report(netpol.name, nsObject, `Namespace ${ns}`, namespaces.has(ns) ? (items.find((i) => i.object === nsObject)?.file ?? '') : '', 'a namespace with pods needs a NetworkPolicy or CiliumNetworkPolicy');
      }
    }
    if (policies.some((p) => p.name === 'require-tls-gateway-listeners')) {
      for (const gw of of('Gateway')) {
        const http = (((gw.object.spec as Json).listeners ?? []) as Array<{ name: string; protocol: string }>).filter((l) => l.protocol === 'HTTP').map((l) => l.name);
        for (const route of of('HTTPRoute')) {
          const refs = (((route.object.spec as Json).parentRefs ?? []) as Array<{ name: string; namespace?: string; sectionName?: string }>).filter(
            (r) => r.name === nameOf(gw.object) && (r.namespace ?? nsOf(route.object)) === nsOf(gw.object) && (r.sectionName === undefined || http.includes(r.sectionName)),
          );
          if (refs.length === 0 || http.length === 0) continue;
          const rules = ((route.object.spec as Json).rules ?? []) as Array<{ backendRefs?: unknown[]; filters?: Array<{ type: string; requestRedirect?: { scheme?: string } }> }>;
          const redirectOnly = rules.every((r) => !(r.backendRefs ?? []).length && (r.filters ?? []).some((f) => f.type === 'RequestRedirect' && f.requestRedirect?.scheme === 'https'));
          if (!redirectOnly) report('require-tls-gateway-listeners', route.object, `HTTPRoute ${nsOf(route.object)}/${nameOf(route.object)}`, route.file, `attaches to a plain HTTP listener of Gateway ${nameOf(gw.object)} without being a redirect to https`);
        }
      }
    }
  }
  const order = (a: PolicyViolation, b: PolicyViolation) => `${a.cluster}/${a.policy}/${a.object}`.localeCompare(`${b.cluster}/${b.policy}/${b.object}`);
  return { violations: violations.sort(order), exempted: exempted.sort(order), policies: policiesByCluster, objectsChecked: checked };
}
