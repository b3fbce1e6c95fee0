/**
 * The rules of the reconcile model (docs/reconcile.md), each with a stable code
 * ({@link ReconcileCode}). They read a replayed {@link FleetModel}.
 */
import { field, isJsonObject, stringField, type JsonObject } from '../validation/types';
import { BUILT_IN_GROUPS, groupOf, Thing } from './knowledge';
import { AppliedObject, factKey, FleetModel, KustomizationNode, thingName } from './reconcile-model';
import { ReconcileCode, ReconcileViolation } from './types';

function meta(o: JsonObject): { name: string; namespace?: string } {
  const name = stringField(field(o, 'metadata'), 'name') ?? '';
  const namespace = stringField(field(o, 'metadata'), 'namespace');
  return namespace ? { name, namespace } : { name };
}

function describe(t: Thing): string {
  const g = t.group ? `${t.group}/` : '';
  return t.served ? `kind ${g}${t.kind}` : `${t.kind} ${thingName(t)}`;
}

/** Runs every rule; returns the violations, sorted by cluster, file and code. */
export function checkReconcileRules(model: FleetModel): ReconcileViolation[] {
  const out: ReconcileViolation[] = [];
  const providerText = (key: string, exclude?: string): string => {
    const p = (model.providers.get(key) ?? []).filter((x) => !exclude || !x.includes(exclude));
    return p.length > 0 ? `it is provided by ${p.slice(0, 3).join('; ')}, which is not applied before it` : 'nothing in the fleet provides it; add it, or declare it with GitOpsCluster.declareExternalInput()';
  };
  const has = (set: Set<string>, key: string): boolean => {
    if (set.has(key)) return true;
    const ext = model.externalByKey.get(key);
    if (ext) {
      ext.used = true;
      return true;
    }
    return false;
  };

  for (const cluster of model.clusters) {
    for (const file of cluster.notApplied) {
      out.push({ code: ReconcileCode.NOT_APPLIED, cluster: cluster.name, file: `dist/${file}`, message: `dist/${file} is applied by no Flux Kustomization of the fleet; Flux would never create it` });
    }
    for (const n of cluster.kustomizations) {
      const where = `(Kustomization ${n.id}${n.target !== n.cluster ? ` of cluster ${n.cluster}, applying to cluster ${n.target}` : ''})`;
      if (!n.before) {
        const missing = n.dependsOn.filter((d) => !cluster.kustomizations.some((k) => k.id === d));
        const blocked = n.dependsOn.filter((d) => cluster.kustomizations.some((k) => k.id === d && !k.after));
        const why = missing.length
          ? `it depends on ${missing.join(', ')}, which no Kustomization of cluster ${cluster.name} is`
          : blocked.length
            ? `it depends on ${blocked.join(', ')}, which never becomes Ready (a dependsOn or wait cycle)`
            : n.parent && !n.parent.before
              ? `the Kustomization that applies it, ${n.parent.id}, never starts`
              : 'it waits for itself';
        out.push({ code: ReconcileCode.NEVER_READY, cluster: cluster.name, file: `dist/${n.file}`, kustomization: n.id, message: `Kustomization ${n.id} ${where} never starts: ${why}` });
        continue;
      }
      if (!n.after) {
        const stuck = cluster.kustomizations.filter((c) => c.parent === n && n.waitsFor.some((w) => w.object === c.object) && !c.after).map((c) => c.id);
        out.push({
          code: ReconcileCode.NEVER_READY,
          cluster: cluster.name,
          file: `dist/${n.file}`,
          kustomization: n.id,
          message: `Kustomization ${n.id} ${where} never becomes Ready: it waits for ${stuck.join(', ')}, which wait(s) for it in turn (dependsOn on a Kustomization that waits for it)`,
        });
        continue;
      }
      if (n.unknownContent) {
        out.push({ code: ReconcileCode.UNKNOWN_CONTENT, cluster: cluster.name, file: `dist/${n.file}`, kustomization: n.id, message: `Kustomization ${n.id} ${where}: ${n.unknownContent}` });
      }
      const before = n.before;
      const same = new Set<string>();
      for (const a of n.applied) for (const f of model.appliedFacts(a)) same.add(f);
      const eventually = new Set<string>(same);
      for (const a of n.applied) for (const f of model.readyFacts(a, before)) eventually.add(f);
      if (n.upstream) for (const f of n.after) eventually.add(f);

      for (const a of n.applied) {
        const objText = `dist/${a.file} ${where}`;
        const o = a.object;
        const group = groupOf(stringField(o, 'apiVersion'));
        const kind = stringField(o, 'kind') ?? '';
        const m = meta(o);
        // Namespace.
        if (m.namespace && kind !== 'Namespace') {
          const key = factKey(a.target, { group: '', kind: 'Namespace', name: m.namespace });
          if (!has(before, key) && !same.has(key)) {
            out.push({
              code: ReconcileCode.NAMESPACE_MISSING,
              cluster: cluster.name,
              file: `dist/${a.file}`,
              kustomization: n.id,
              message: `${objText}: namespace "${m.namespace}" does not exist when it is applied (the server-side dry run fails with namespaces "${m.namespace}" not found); ${providerText(key)}. Apply the object with or after what creates its namespace`,
            });
          }
        }
        // CRD.
        if (!BUILT_IN_GROUPS.has(group)) {
          const key = factKey(a.target, { group, kind, served: true });
          if (!has(before, key) && !same.has(key)) {
            const fromRelease = n.applied.find((x) => x !== a && model.readyFacts(x, before).includes(key));
            out.push(
              fromRelease
                ? {
                    code: ReconcileCode.CRD_FROM_SAME_KUSTOMIZATION,
                    cluster: cluster.name,
                    file: `dist/${a.file}`,
                    kustomization: n.id,
                    message: `${objText}: kind ${group}/${kind} is installed by dist/${fromRelease.file} in the same Kustomization, which installs it only once Ready, after the dry run of this object failed; move the object into a Kustomization that depends on it`,
                  }
                : {
                    code: ReconcileCode.CRD_MISSING,
                    cluster: cluster.name,
                    file: `dist/${a.file}`,
                    kustomization: n.id,
                    message: `${objText}: kind ${group}/${kind} is not served on cluster ${a.target} when it is applied (no matches for kind "${kind}"); ${providerText(key)}`,
                  },
            );
          }
        }
        // References.
        for (const r of model.references(a, before)) {
          if (!r.name) continue;
          const key = factKey(a.target, r);
          if (has(before, key) || eventually.has(key)) continue;
          if (r.eventual && model.providers.has(key)) continue;
          out.push({
            code: r.isClass ? ReconcileCode.UNRESOLVED_CLASS : ReconcileCode.UNRESOLVED_REFERENCE,
            cluster: cluster.name,
            file: `dist/${a.file}`,
            kustomization: n.id,
            message: `${objText}: ${r.field} names ${describe(r)}${r.cluster && r.cluster !== a.target ? ` on cluster ${r.cluster}` : ''}, which does not exist before it is needed; ${providerText(key)}`,
          });
        }
      }
      if (n.upstream) {
        for (const r of n.upstream.references) {
          const key = factKey(n.target, r);
          if (has(before, key)) continue;
          out.push({
            code: ReconcileCode.UNRESOLVED_REFERENCE,
            cluster: cluster.name,
            file: `dist/${n.file}`,
            kustomization: n.id,
            message: `Kustomization ${n.id} ${where} applies ${n.upstream.url} ${n.upstream.path}, whose ${r.field} names ${describe(r)}, which does not exist before it; ${providerText(key)}`,
          });
        }
      }
      // Health checks.
      const checks = Array.isArray(field(n.object, 'spec', 'healthChecks')) ? (field(n.object, 'spec', 'healthChecks') as unknown[]).filter(isJsonObject) : [];
      for (const h of checks) {
        const t: Thing = {
          group: groupOf(stringField(h, 'apiVersion')),
          kind: stringField(h, 'kind') ?? '',
          name: stringField(h, 'name') ?? '',
          ...(stringField(h, 'namespace') ? { namespace: stringField(h, 'namespace') } : {}),
        };
        const key = factKey(n.target, t);
        if (has(before, key) || eventually.has(key) || n.after.has(key)) continue;
        out.push({
          code: ReconcileCode.HEALTH_CHECK_TARGET,
          cluster: cluster.name,
          file: `dist/${n.file}`,
          kustomization: n.id,
          message: `Kustomization ${n.id} ${where} health-checks ${describe(t)}, which nothing it applies (or applied before it) creates, so it never becomes Ready; ${providerText(key)}`,
        });
      }
    }
  }
  for (const [key, e] of model.externalByKey) {
    if (e.used) continue;
    out.push({
      code: ReconcileCode.UNUSED_EXTERNAL_INPUT,
      cluster: e.cluster,
      file: `dist/${e.cluster}/`,
      message: `external input ${e.input.kind} ${thingName({ group: '', kind: e.input.kind, namespace: e.input.namespace, name: e.input.name })} of cluster ${e.cluster} (${key}) is declared but nothing in the fleet uses it; remove the declaration`,
    });
  }
  return out.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.file.localeCompare(b.file) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

export type { AppliedObject, KustomizationNode };
