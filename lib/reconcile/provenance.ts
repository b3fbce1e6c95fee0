/**
 * RECONCILE_SECRET_PROVENANCE: every Secret a construct reads (recorded by `SecretReference.use()`)
 * comes from where its reference says. A `sealed` Secret needs a SealedSecret of that name and
 * namespace in the same cluster, an `external` one an ExternalSecret whose target it is, an
 * `external-input` one a declared external input. A `generated` Secret is left to the controller
 * knowledge (the reference check of the model). docs/reconcile.md.
 */
import { SecretProvenanceName, type SecretUse } from '../core/external-input';
import { field, stringField, type JsonObject } from '../validation/types';
import { groupOf } from './knowledge';
import { ReconcileClusterInput, ReconcileCode, ReconcileViolation } from './types';

/**
 * Name and namespace of the Secret an object makes, by provenance: a SealedSecret makes the Secret
 * `spec.template.metadata.name` (default its own name) in its namespace
 * (https://github.com/bitnami-labs/sealed-secrets#sealedsecrets-as-templates-for-secrets); an
 * ExternalSecret makes `spec.target.name` (default its own name)
 * (https://external-secrets.io/latest/api/externalsecret/).
 */
function madeSecret(o: JsonObject): { provenance: SecretProvenanceName; key: string } | undefined {
  const group = groupOf(stringField(o, 'apiVersion'));
  const kind = stringField(o, 'kind');
  const metadata = field(o, 'metadata');
  const namespace = stringField(metadata, 'namespace') ?? 'default';
  const own = stringField(metadata, 'name') ?? '';
  if (group === 'bitnami.com' && kind === 'SealedSecret') {
    const name = stringField(field(o, 'spec', 'template', 'metadata'), 'name') ?? own;
    return { provenance: SecretProvenanceName.SEALED, key: `${namespace}/${name}` };
  }
  if (group === 'external-secrets.io' && kind === 'ExternalSecret') {
    const name = stringField(field(o, 'spec', 'target'), 'name') ?? own;
    return { provenance: SecretProvenanceName.EXTERNAL, key: `${namespace}/${name}` };
  }
  return undefined;
}

const FIX: Record<SecretProvenanceName, string> = {
  [SecretProvenanceName.SEALED]: 'add a SealedSecret for it (SealedSecret construct, `npm run seal`), or give a reference that says where it comes from',
  [SecretProvenanceName.EXTERNAL]: 'add an ExternalSecret whose target it is, or give a reference that says where it comes from',
  [SecretProvenanceName.EXTERNAL_INPUT]: 'declare it with GitOpsCluster.declareExternalInput() (who provides it and the command), or deliver it sealed or external',
  [SecretProvenanceName.GENERATED]: '',
};

/** The violations of one fleet: uses whose claimed provenance nothing in their cluster backs. */
export function checkSecretProvenance(clusters: readonly ReconcileClusterInput[]): ReconcileViolation[] {
  const out: ReconcileViolation[] = [];
  for (const cluster of clusters) {
    const made = new Map<string, Set<SecretProvenanceName>>();
    for (const m of cluster.manifests) {
      const s = madeSecret(m.object as JsonObject);
      if (!s) continue;
      if (!made.has(s.key)) made.set(s.key, new Set());
      made.get(s.key)?.add(s.provenance);
    }
    const declared = new Set((cluster.externalInputs ?? []).filter((i) => i.kind === 'Secret' && !i.group).map((i) => `${i.namespace ?? ''}/${i.name}`));
    for (const use of cluster.secretUses ?? []) {
      if (use.provenance === SecretProvenanceName.GENERATED) continue;
      const key = `${use.namespace}/${use.name}`;
      const backed = use.provenance === SecretProvenanceName.EXTERNAL_INPUT ? declared.has(key) : made.get(key)?.has(use.provenance) === true;
      if (backed) continue;
      out.push(violation(cluster.name, use, made.get(key), declared.has(key)));
    }
  }
  return out;
}

function violation(cluster: string, use: SecretUse, madeAs: ReadonlySet<SecretProvenanceName> | undefined, declared: boolean): ReconcileViolation {
  const actually: string[] = [...(madeAs ?? [])].map((p) => (p === SecretProvenanceName.SEALED ? 'a SealedSecret' : 'an ExternalSecret'));
  if (declared) actually.push('a declared external input');
  const found = actually.length ? `it comes from ${actually.join(' and ')} instead` : `nothing in cluster ${cluster} provides it`;
  return {
    code: ReconcileCode.SECRET_PROVENANCE,
    cluster,
    file: `dist/${cluster}/`,
    message: `${use.consumer} reads Secret ${use.namespace}/${use.name} as ${use.provenance}, but ${found}; ${FIX[use.provenance]}`,
  };
}
