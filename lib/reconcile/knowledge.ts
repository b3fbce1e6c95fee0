/**
 * What the reconcile model knows about controllers: which objects an object names (references
 * that must resolve) and what exists once it is Ready (CRDs, Secrets, classes a controller
 * creates). One table, {@link CONTROLLER_KNOWLEDGE}; every entry cites the upstream behaviour it
 * encodes. docs/reconcile.md renders the same table for readers.
 */
import { SchemaPack, type UpstreamSource } from '../validation/schema-pack';
import { field, isJsonObject, parseYamlDocuments, stringField, type JsonObject } from '../validation/types';

/**
 * Something that exists on a cluster: an object (`name` set), or a served kind (`served`), e.g.
 * `{ group: 'cert-manager.io', kind: 'Certificate', served: true }`. Namespaces are objects of kind
 * `Namespace` in the core group.
 */
export interface Thing {
  readonly group: string;
  readonly kind: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  readonly name?: string;
  /** The kind is served (its CRD is established). */
  readonly served?: boolean;
  /** Another cluster (a `kubeConfig` target); @default - the cluster the object is applied to */
  readonly cluster?: string;
}

/** A name an object uses that must resolve to an object before it is applied. */
export interface Reference extends Thing {
  readonly name: string;
  /** Field that holds the name, for messages (`spec.secretRef.name`). */
  readonly field: string;
  /** A class or issuer (reported as RECONCILE_UNRESOLVED_CLASS). */
  readonly isClass?: boolean;
  /**
   * Resolved at runtime, whenever it appears (a route's backend Service): it must exist somewhere in
   * the cluster's final state, not necessarily before.
   */
  readonly eventual?: boolean;
}

/** What the knowledge functions may look at besides the object itself. */
export interface KnowledgeContext {
  /** CRDs in the locked upstream files under `prefix` (e.g. `cert-manager/crds/`). */
  crdsUnder(prefix: string): readonly CrdInfo[];
  /** The merged Helm values of a HelmRelease (valuesFrom ConfigMaps of its cluster, then spec.values). */
  valuesOf(helmRelease: JsonObject): JsonObject;
  /** The cluster a `kubeConfig.secretRef` Secret name points at (Cluster API `<cluster>-kubeconfig`). */
  remoteClusterOf(object: JsonObject): string | undefined;
  /** Whether `kind` is served on `cluster` when the object is applied. */
  servedBefore(group: string, kind: string, cluster?: string): boolean;
  /** The chart a HelmRelease installs. */
  chartOf(helmRelease: JsonObject): string | undefined;
  /** `<component>/crds/` of a pinned chart without a knowledge entry, when the lock has such files. */
  lockedChartCrds(chart: string): string | undefined;
  /** cert-manager's cluster resource namespace on this cluster (its release namespace). */
  readonly certManagerNamespace: string;
}

/** A CRD of a pinned upstream file. */
export interface CrdInfo {
  /** `metadata.name`, `<plural>.<group>`. */
  readonly name: string;
  readonly group: string;
  readonly kind: string;
}

/** One row of the knowledge table. */
export interface ControllerKnowledge {
  /** Short id, e.g. `cert-manager/Certificate`. */
  readonly id: string;
  /** What the entry encodes, in one sentence. */
  readonly description: string;
  /** Upstream source of the behaviour (chart template, controller doc, CRD). */
  readonly source: string;
  /** apiVersion group and kind the entry applies to (`*` for any kind). */
  readonly group: string;
  readonly kind: string;
  references?(o: JsonObject, ctx: KnowledgeContext): Reference[];
  /** What exists once the object is Ready. */
  providesOnceReady?(o: JsonObject, ctx: KnowledgeContext): Thing[];
}

export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function meta(o: JsonObject): { name: string; namespace?: string } {
  const name = stringField(field(o, 'metadata'), 'name') ?? '';
  const namespace = stringField(field(o, 'metadata'), 'namespace');
  return namespace ? { name, namespace } : { name };
}

function list(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

/** Whether the cilium chart renders Secret cilium-ca itself: `tls.ca.cert` and `tls.ca.key` both set (templates/cilium-ca-secret.yaml). */
function ciliumCaFromValues(v: JsonObject): boolean {
  const ca = field(v, 'tls', 'ca');
  return Boolean(stringField(ca, 'cert')) && Boolean(stringField(ca, 'key'));
}

function secret(name: string | undefined, namespace: string | undefined, fieldPath: string, cluster?: string): Reference[] {
  if (!name) return [];
  return [{ group: '', kind: 'Secret', name, ...(namespace ? { namespace } : {}), field: fieldPath, ...(cluster ? { cluster } : {}) }];
}

/** `kubeConfig.secretRef` of a Flux object: the Secret is read from the object's own namespace. */
function kubeConfigSecret(o: JsonObject): Reference[] {
  return secret(stringField(field(o, 'spec', 'kubeConfig', 'secretRef'), 'name'), meta(o).namespace, 'spec.kubeConfig.secretRef.name');
}

/** Pod templates: Secrets, ConfigMaps, ServiceAccount and PriorityClass a pod names. */
function podReferences(spec: unknown, namespace: string | undefined, at: string): Reference[] {
  if (!isJsonObject(spec)) return [];
  const out: Reference[] = [];
  const sa = stringField(spec, 'serviceAccountName');
  if (sa && sa !== 'default') out.push({ group: '', kind: 'ServiceAccount', name: sa, ...(namespace ? { namespace } : {}), field: `${at}.serviceAccountName`, isClass: true });
  const pc = stringField(spec, 'priorityClassName');
  if (pc && !pc.startsWith('system-')) out.push({ group: 'scheduling.k8s.io', kind: 'PriorityClass', name: pc, field: `${at}.priorityClassName`, isClass: true });
  for (const v of list(spec.volumes)) {
    const s = stringField(field(v, 'secret'), 'secretName');
    if (s && field(v, 'secret', 'optional') !== true) out.push(...secret(s, namespace, `${at}.volumes.secret`));
    const c = stringField(field(v, 'configMap'), 'name');
    if (c && field(v, 'configMap', 'optional') !== true) out.push({ group: '', kind: 'ConfigMap', name: c, ...(namespace ? { namespace } : {}), field: `${at}.volumes.configMap` });
  }
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    for (const e of list(c.env)) {
      const s = field(e, 'valueFrom', 'secretKeyRef');
      if (isJsonObject(s) && s.optional !== true) out.push(...secret(stringField(s, 'name'), namespace, `${at}.containers.env.valueFrom.secretKeyRef`));
      const m = field(e, 'valueFrom', 'configMapKeyRef');
      if (isJsonObject(m) && m.optional !== true && stringField(m, 'name')) {
        out.push({ group: '', kind: 'ConfigMap', name: stringField(m, 'name')!, ...(namespace ? { namespace } : {}), field: `${at}.containers.env.valueFrom.configMapKeyRef` });
      }
    }
    for (const e of list(c.envFrom)) {
      const s = field(e, 'secretRef');
      if (isJsonObject(s) && s.optional !== true) out.push(...secret(stringField(s, 'name'), namespace, `${at}.containers.envFrom.secretRef`));
      const m = field(e, 'configMapRef');
      if (isJsonObject(m) && m.optional !== true && stringField(m, 'name')) out.push({ group: '', kind: 'ConfigMap', name: stringField(m, 'name')!, ...(namespace ? { namespace } : {}), field: `${at}.containers.envFrom.configMapRef` });
    }
  }
  for (const s of list(spec.imagePullSecrets)) out.push(...secret(stringField(s, 'name'), namespace, `${at}.imagePullSecrets`));
  return out;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** Kinds of the core API server: always served (the Kubernetes OpenAPI spec's groups). */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'certificates.k8s.io',
  'node.k8s.io',
  'resource.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io',
]);

/** Namespaces the API server creates on every cluster. */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Where Flux's own CRDs are pinned (installed by `flux install`/bootstrap, or by a FluxInstance). */
export const FLUX_CRDS_PREFIX = 'flux/crds/';

/**
 * Cluster API operator providers → the locked folder of the CRDs the provider's components bring
 * (`<kind>/<metadata.name>`). The operator installs a provider's release manifest, CRDs included,
 * and reports the provider Ready once its Deployment is available.
 * @see https://cluster-api-operator.sigs.k8s.io/topics/configuration/provider-types
 */
export const CAPI_PROVIDER_CRDS: Readonly<Record<string, string>> = {
  'CoreProvider/cluster-api': 'capi-core/crds/',
  'BootstrapProvider/talos': 'capi-talos/bootstrap/crds/',
  'ControlPlaneProvider/talos': 'capi-talos/controlplane/crds/',
  'BootstrapProvider/rke2': 'capi-rke2/bootstrap/crds/',
  'ControlPlaneProvider/rke2': 'capi-rke2/controlplane/crds/',
  'InfrastructureProvider/aws': 'capi-aws/crds/',
  'InfrastructureProvider/azure': 'capi-azure/crds/',
  'InfrastructureProvider/gcp': 'capi-gcp/crds/',
  'InfrastructureProvider/proxmox': 'capi-proxmox/crds/',
  'InfrastructureProvider/metal3': 'capi-metal3/capm3/crds/',
  'IPAMProvider/in-cluster': 'capi-ipam/crds/',
  'IPAMProvider/metal3': 'capi-metal3/ip-address-manager/crds/',
  'AddonProvider/helm': 'capi-helm-addon/crds/',
};

/**
 * Manifests a Flux Kustomization applies straight from an upstream Git release (UpstreamGitRelease):
 * keyed by repository URL and path. `crds` is the locked folder of the release's CRDs; `objects`
 * other objects it creates (health-check targets); `references` what its objects need.
 */
export interface UpstreamRelease {
  readonly url: string;
  readonly path: string;
  /** @default - none (the release ships no CRDs) */
  readonly crds?: string;
  readonly objects: readonly Thing[];
  readonly references: readonly Reference[];
  readonly source: string;
}

export const UPSTREAM_RELEASES: readonly UpstreamRelease[] = [
  {
    url: 'https://github.com/kubernetes-sigs/gateway-api',
    path: './config/crd/standard',
    crds: 'gateway-api/crds/standard/',
    objects: [],
    references: [],
    source: 'kubernetes-sigs/gateway-api config/crd/standard (the standard channel CRDs, pinned in gateway-api/crds/standard)',
  },
  {
    url: 'https://github.com/kubernetes-sigs/gateway-api',
    path: './config/crd/experimental',
    crds: 'gateway-api/crds/experimental/',
    objects: [],
    references: [],
    source: 'kubernetes-sigs/gateway-api config/crd/experimental',
  },
  {
    url: 'https://github.com/metal3-io/baremetal-operator',
    path: './config/base',
    crds: 'capi-metal3/baremetal-operator/crds/',
    objects: [{ group: 'apps', kind: 'Deployment', namespace: 'baremetal-operator-system', name: 'baremetal-operator-controller-manager' }],
    references: [
      // config/manager/manager.yaml: `envFrom: [configMapRef: {name: ironic}]` (namePrefix-free), the
      // Ironic endpoint and deploy images the operator reads at start.
      { group: '', kind: 'ConfigMap', namespace: 'baremetal-operator-system', name: 'ironic', field: 'Deployment baremetal-operator-controller-manager envFrom' },
    ],
    source: 'metal3-io/baremetal-operator config/base (namespace baremetal-operator-system, Deployment controller-manager with envFrom ConfigMap ironic)',
  },
  // storage (issue 13)
  {
    url: 'https://github.com/kubernetes-csi/external-snapshotter',
    path: './client/config/crd',
    crds: 'external-snapshotter/crds/',
    objects: [],
    references: [],
    source: 'kubernetes-csi/external-snapshotter v8.6.0 client/config/crd (the snapshot.storage.k8s.io and groupsnapshot.storage.k8s.io CRDs, pinned in external-snapshotter/crds)',
  },
  {
    url: 'https://github.com/kubernetes-csi/external-snapshotter',
    path: './deploy/kubernetes/snapshot-controller',
    // Retargeted to kube-system by the Kustomization's targetNamespace (SnapshotController).
    objects: [{ group: 'apps', kind: 'Deployment', namespace: 'kube-system', name: 'snapshot-controller' }],
    references: [],
    source: 'kubernetes-csi/external-snapshotter v8.6.0 deploy/kubernetes/snapshot-controller (RBAC + Deployment snapshot-controller, written for namespace default; external-snapshotter/NOTES.md)',
  },
  {
    url: 'https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver',
    path: './deploy/kubernetes/overlays/stable-master',
    objects: [
      { group: '', kind: 'Namespace', name: 'gce-pd-csi-driver' },
      { group: 'apps', kind: 'Deployment', namespace: 'gce-pd-csi-driver', name: 'csi-gce-pd-controller' },
      { group: 'apps', kind: 'DaemonSet', namespace: 'gce-pd-csi-driver', name: 'csi-gce-pd-node' },
    ],
    references: [
      // deploy/kubernetes/base/controller/controller.yaml mounts Secret cloud-sa (GOOGLE_APPLICATION_CREDENTIALS=/etc/cloud-sa/cloud-sa.json).
      { group: '', kind: 'Secret', namespace: 'gce-pd-csi-driver', name: 'cloud-sa', field: 'Deployment csi-gce-pd-controller volumes.cloud-sa-volume.secret' },
    ],
    source: 'kubernetes-sigs/gcp-compute-persistent-disk-csi-driver v1.26.4 deploy/kubernetes/overlays/stable-master (csi-drivers/gcp-compute-persistent-disk-csi-driver/install-summary.json)',
  },
  {
    url: 'https://github.com/rancher/local-path-provisioner',
    path: './deploy',
    objects: [
      { group: '', kind: 'Namespace', name: 'local-path-storage' },
      { group: 'apps', kind: 'Deployment', namespace: 'local-path-storage', name: 'local-path-provisioner' },
      { group: 'storage.k8s.io', kind: 'StorageClass', name: 'local-path' },
    ],
    references: [],
    source: 'rancher/local-path-provisioner v0.0.37 deploy/kustomization.yaml → local-path-storage.yaml (Namespace local-path-storage, Deployment local-path-provisioner with ConfigMap local-path-config, StorageClass local-path; local-path-provisioner/NOTES.md)',
  },
  {
    // InfraFlux patches the DaemonSet to mount gce.conf from this ConfigMap (lib/cloud/gcp-ccm.ts);
    // the management cluster applies it first (dist/<workload>/cloud-controller-manager/).
    url: 'https://github.com/kubernetes/cloud-provider-gcp',
    path: './deploy/packages/default',
    objects: [
      { group: 'apps', kind: 'DaemonSet', namespace: 'kube-system', name: 'cloud-controller-manager' },
      { group: '', kind: 'ServiceAccount', namespace: 'kube-system', name: 'cloud-controller-manager' },
    ],
    references: [{ group: '', kind: 'ConfigMap', namespace: 'kube-system', name: 'gce-cloud-config', field: 'DaemonSet cloud-controller-manager volume cloudconfig (InfraFlux patch)' }],
    source:
      'kubernetes/cloud-provider-gcp v35.1.3 deploy/packages/default/manifest.yaml (DaemonSet and ServiceAccount kube-system/cloud-controller-manager, RBAC; no CRDs: ccm-gcp/NOTES.md); the cloudconfig volume is InfraFlux\'s patch',
  },
];

/** cert-manager's cluster resource namespace: where ClusterIssuers read their Secrets (default: cert-manager's own namespace). */
function clusterResourceNamespace(ctx: KnowledgeContext): string {
  return ctx.certManagerNamespace;
}

function merge(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isJsonObject(v) && isJsonObject(out[k]) ? merge(out[k] as JsonObject, v) : v;
  return out;
}
export { merge as mergeValues };

/** The chart a HelmRelease installs: `spec.chart.spec.chart`, or the last path segment of its OCIRepository. */
export function chartNameOf(hr: JsonObject, ociUrlOf: (name: string, namespace: string) => string | undefined): string | undefined {
  const direct = stringField(field(hr, 'spec', 'chart', 'spec'), 'chart');
  if (direct) return direct;
  const ref = field(hr, 'spec', 'chartRef');
  const name = stringField(ref, 'name');
  if (!name) return undefined;
  const url = ociUrlOf(name, stringField(ref, 'namespace') ?? meta(hr).namespace ?? '');
  return url?.split('/').filter((s) => s.length > 0).pop();
}

// --- crossplane (issue 13 point 4, h-crossplane; docs/crossplane.md, decision 0074) ---------
/**
 * The kinds a Crossplane provider package serves once it is Healthy, by package repository. The
 * spec pack pins no provider package, so this lists only what the fleet relies on: the family
 * provider's ProviderConfig kinds (the member providers' managed resources are composed at runtime,
 * never applied by Flux).
 */
export const CROSSPLANE_PROVIDER_KINDS: Readonly<Record<string, readonly { group: string; kind: string }[]>> = {
  // crossplane-contrib/provider-upjet-aws v2.0.0: the family package installs the shared
  // aws.m.upbound.io (namespaced MRs) and aws.upbound.io (legacy) ProviderConfig CRDs.
  'xpkg.crossplane.io/crossplane-contrib/provider-family-aws': ['ClusterProviderConfig', 'ProviderConfig', 'ProviderConfigUsage', 'ClusterProviderConfigUsage']
    .map((kind) => ({ group: 'aws.m.upbound.io', kind }))
    .concat(['ProviderConfig', 'ProviderConfigUsage'].map((kind) => ({ group: 'aws.upbound.io', kind }))),
};

/** Chart knowledge of Crossplane (spread into {@link CHART_KNOWLEDGE}). */
const CROSSPLANE_CHART_KNOWLEDGE: readonly ChartKnowledge[] = [
  {
    chart: 'crossplane',
    crds: 'crossplane/crds/',
    source:
      'crossplane chart 2.3.4 (crossplane/NOTES.md "The CRDs are not installed by Helm"): the chart has no CRD templates; the pod\'s init container `crossplane core init` applies the core CRDs of cluster/crds (v2.3.4) before the Deployment becomes available, so they are served once the HelmRelease is Ready',
  },
];

/** Controller knowledge of Crossplane (spread into {@link CONTROLLER_KNOWLEDGE}). */
const CROSSPLANE_KNOWLEDGE: readonly ControllerKnowledge[] = [
  {
    id: 'crossplane/Provider',
    group: 'pkg.crossplane.io',
    kind: 'Provider',
    description: 'needs the DeploymentRuntimeConfig spec.runtimeConfigRef names; once Healthy, its package\'s kinds are served (CROSSPLANE_PROVIDER_KINDS)',
    source:
      'https://docs.crossplane.io/latest/packages/providers/ (runtimeConfigRef, Installed/Healthy conditions; a provider installs its CRDs when its revision is active); pinned CRD crossplane/crds/pkg.crossplane.io_providers.yaml',
    references: (o) => {
      const name = stringField(field(o, 'spec', 'runtimeConfigRef'), 'name');
      return name ? [{ group: 'pkg.crossplane.io', kind: 'DeploymentRuntimeConfig', name, field: 'spec.runtimeConfigRef.name', isClass: true }] : [];
    },
    providesOnceReady: (o) => {
      const pkg = stringField(field(o, 'spec'), 'package') ?? '';
      const repository = pkg.replace(/[:@][^/]*$/, '');
      return (CROSSPLANE_PROVIDER_KINDS[repository] ?? []).map((k) => ({ group: k.group, kind: k.kind, served: true }));
    },
  },
  {
    id: 'crossplane/CompositeResourceDefinition',
    group: 'apiextensions.crossplane.io',
    kind: 'CompositeResourceDefinition',
    description: 'once Established, Crossplane serves the XR kind (spec.group, spec.names.kind) and, for a LegacyCluster XRD with claimNames, the claim kind',
    source: 'https://docs.crossplane.io/latest/composition/composite-resource-definitions/ (Crossplane creates the XR CRD; condition Established); pinned CRD crossplane/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml (v2 scope Namespaced|Cluster|LegacyCluster, claims only for LegacyCluster)',
    providesOnceReady: (o) => {
      const group = stringField(field(o, 'spec'), 'group');
      const kind = stringField(field(o, 'spec', 'names'), 'kind');
      const claim = stringField(field(o, 'spec', 'claimNames'), 'kind');
      if (!group || !kind) return [];
      return [{ group, kind, served: true }, ...(claim ? [{ group, kind: claim, served: true }] : [])];
    },
  },
  {
    id: 'crossplane/Composition',
    group: 'apiextensions.crossplane.io',
    kind: 'Composition',
    description: 'each pipeline step runs the Function spec.pipeline[].functionRef.name: it must exist when an XR is composed (eventual)',
    source: 'https://docs.crossplane.io/latest/composition/compositions/ (mode Pipeline, functionRef); pinned CRD crossplane/crds/apiextensions.crossplane.io_compositions.yaml',
    references: (o) =>
      list(field(o, 'spec', 'pipeline')).flatMap((s) => {
        const name = stringField(field(s, 'functionRef'), 'name');
        return name ? [{ group: 'pkg.crossplane.io', kind: 'Function', name, field: 'spec.pipeline.functionRef.name', eventual: true }] : [];
      }),
  },
  {
    id: 'crossplane/ProviderConfig',
    group: '*',
    kind: '*ProviderConfig',
    description: 'a provider\'s (Cluster)ProviderConfig with credentials source Secret reads spec.credentials.secretRef (namespace, name, key) when a managed resource is reconciled: it must exist eventually',
    source: 'crossplane-runtime CommonCredentialSelectors (source Secret, secretRef namespace/name/key): https://docs.crossplane.io/latest/get-started/get-started-with-managed-resources/ (ClusterProviderConfig aws.m.upbound.io/v1beta1)',
    references: (o) => {
      const creds = field(o, 'spec', 'credentials');
      if (stringField(creds, 'source') !== 'Secret') return [];
      const ref = field(creds, 'secretRef');
      const name = stringField(ref, 'name');
      const namespace = stringField(ref, 'namespace') ?? meta(o).namespace;
      return name ? [{ group: '', kind: 'Secret', name, ...(namespace ? { namespace } : {}), field: 'spec.credentials.secretRef', eventual: true }] : [];
    },
  },
  {
    id: 'crossplane/composite-connection-secret',
    group: '*',
    kind: '*',
    description: 'a composite resource (XR) annotated infraflux.io/connection-secret: once Ready, its Composition has written that Secret in the XR\'s namespace (a composed managed resource\'s writeConnectionSecretToRef)',
    source:
      'Crossplane v2 XRs have no writeConnectionSecretToRef (crossplane/NOTES.md: connection-secret keys are LegacyCluster-only); namespaced managed resources write spec.writeConnectionSecretToRef.name in their own namespace, the XR\'s (https://docs.crossplane.io/latest/managed-resources/managed-resources/#writeconnectionsecrettoref); InfraFlux\'s CompositeResource records the name its Composition patches',
    providesOnceReady: (o) => {
      const annotations = field(o, 'metadata', 'annotations');
      const name = stringField(annotations, 'infraflux.io/connection-secret');
      const namespace = meta(o).namespace;
      return name && namespace ? [{ group: '', kind: 'Secret', name, namespace }] : [];
    },
  },
  // Velero restores (issue 13 backup gaps, same helper): lib/backup/velero-restore.ts
  {
    id: 'velero/Restore',
    group: 'velero.io',
    kind: 'Restore',
    description: 'a restore from the latest backup of spec.scheduleName needs that Schedule in its namespace when it runs (eventual: the chart creates it)',
    source: 'https://velero.io/docs/v1.18/api-types/restore/ (scheduleName: restore from the most recent completed backup of the schedule); pinned CRD velero/crds/velero.io_restores.yaml',
    references: (o) => {
      const schedule = stringField(field(o, 'spec'), 'scheduleName');
      const ns = meta(o).namespace;
      return schedule ? [{ group: 'velero.io', kind: 'Schedule', name: schedule, ...(ns ? { namespace: ns } : {}), field: 'spec.scheduleName', eventual: true }] : [];
    },
  },
];

/** What a pinned chart brings once its release is Ready, beyond its CRDs. */
export interface ChartKnowledge {
  readonly chart: string;
  /** Locked folder of the CRDs the chart (or the operator it installs) registers. */
  readonly crds?: string;
  /** Only when the values say so (e.g. cert-manager's `crds.enabled`). */
  readonly crdsWhen?: (values: JsonObject) => boolean;
  readonly objects?: (values: JsonObject, hr: JsonObject, ctx: KnowledgeContext) => Thing[];
  /** Secrets/ConfigMaps the values name (existingSecret-style). */
  readonly references?: (values: JsonObject, namespace: string) => Reference[];
  readonly source: string;
}

export const CHART_KNOWLEDGE: readonly ChartKnowledge[] = [
  ...CROSSPLANE_CHART_KNOWLEDGE,
  {
    chart: 'cert-manager',
    crds: 'cert-manager/crds/',
    crdsWhen: (v) => field(v, 'crds', 'enabled') === true || v.installCRDs === true,
    source: 'cert-manager chart templates/crds.yaml: rendered when crds.enabled (or the deprecated installCRDs) is true',
  },
  {
    chart: 'cilium',
    crds: 'cilium/crds/',
    objects: (v, hr, ctx) => {
      const out: Thing[] = [];
      const target = ctx.remoteClusterOf(hr);
      const create = field(v, 'gatewayAPI', 'gatewayClass', 'create') ?? 'auto';
      if (field(v, 'gatewayAPI', 'enabled') === true && (create === true || create === 'true' || (create === 'auto' && ctx.servedBefore('gateway.networking.k8s.io', 'GatewayClass', target)))) {
        out.push({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'cilium' });
      }
      if (field(v, 'ingressController', 'enabled') === true) out.push({ group: 'networking.k8s.io', kind: 'IngressClass', name: 'cilium' });
      if (field(v, 'hubble', 'enabled') !== false && field(v, 'hubble', 'ui', 'enabled') === true) out.push({ group: '', kind: 'Service', name: 'hubble-ui', namespace: releaseNamespace(hr) });
      if (ciliumCaFromValues(v)) out.push({ group: '', kind: 'Secret', name: 'cilium-ca', namespace: releaseNamespace(hr) });
      return out;
    },
    // A mesh member's certgen must sign with the CA all members share: present before install (or
    // given as tls.ca.cert/key, from which the chart renders it), or certgen creates a CA of its own
    // and the peers reject each other's certificates.
    references: (v, ns) => {
      const peers = field(v, 'clustermesh', 'config', 'clusters');
      const on = field(v, 'clustermesh', 'config', 'enabled') === true && Array.isArray(peers) && peers.length > 0;
      return on && !ciliumCaFromValues(v) ? secret('cilium-ca', ns, 'values clustermesh.config.clusters (shared CA of the mesh, read by certgen)') : [];
    },
    source:
      'cilium-operator registers the cilium.io CRDs at start (cilium/NOTES.md); templates/hubble-ui/service.yaml: Service hubble-ui when hubble.ui.enabled; clustermesh certgen signs with Secret cilium-ca and creates one when absent (https://docs.cilium.io/en/v1.20/network/clustermesh/clustermesh/#shared-certificate-authority); templates/cilium-ca-secret.yaml renders Secret cilium-ca from tls.ca.cert and tls.ca.key when both are set; chart templates/cilium-gateway-api-class.yaml creates GatewayClass `cilium` when gatewayAPI.enabled and gatewayClass.create is true, or "auto" and the GatewayClass CRD exists at install; templates/cilium-ingress-class.yaml creates IngressClass `cilium` when ingressController.enabled',
  },
  {
    chart: 'tetragon',
    crds: 'tetragon/crds/',
    crdsWhen: (v) => field(v, 'tetragonOperator', 'enabled') !== false,
    source: 'tetragon-operator registers the cilium.io TracingPolicy/PodInfo CRDs (chart tetragonOperator.enabled, default true)',
  },
  {
    chart: 'external-dns',
    crds: 'external-dns/crds/',
    crdsWhen: (v) => field(v, 'crd', 'create') === true,
    references: (v, ns) => list(v.env).flatMap((e) => secret(stringField(field(e, 'valueFrom', 'secretKeyRef'), 'name'), ns, 'values env.valueFrom.secretKeyRef')),
    source: 'external-dns chart: env entries become the container env (templates/deployment.yaml); the DNSEndpoint CRD only with crd.create',
  },
  {
    chart: 'oauth2-proxy',
    references: (v, ns) => secret(stringField(field(v, 'config'), 'existingSecret'), ns, 'values config.existingSecret'),
    objects: (v, hr) => [{ group: '', kind: 'Service', name: helmFullname(v, hr, 'oauth2-proxy'), namespace: releaseNamespace(hr) }],
    source:
      'oauth2-proxy chart templates/deployment.yaml: config.existingSecret replaces the chart-made Secret (client-id, client-secret, cookie-secret); templates/service.yaml: Service `oauth2-proxy.fullname` (the release name when it contains the chart name)',
  },
  {
    chart: 'cluster-api-operator',
    crds: 'capi-operator/crds/',
    source: 'cluster-api-operator chart ships the operator.cluster.x-k8s.io CRDs in its templates (crds are part of the chart, capi-operator/crds)',
  },
  {
    chart: 'sealed-secrets',
    crds: 'sealed-secrets/crds/',
    // With renewal off the controller never replaces the key it starts with, so that key must be
    // the one the committed certificate belongs to: brought before the controller starts. Without
    // it the controller generates a key of its own that no committed SealedSecret opens.
    references: (v, ns) =>
      String(v.keyrenewperiod ?? '') === '0' ? secret(stringField(v, 'secretName') ?? 'sealed-secrets-key', stringField(v, 'namespace') || ns, 'values keyrenewperiod "0" + secretName (the sealing key the controller starts with)') : [],
    objects: (v, hr) => [{ group: '', kind: 'Service', name: helmFullname(v, hr, 'sealed-secrets'), namespace: stringField(v, 'namespace') || releaseNamespace(hr) }],
    source:
      'bitnami-labs/sealed-secrets helm-v2.18.5 (e12ae8217687d110d01b27bff3072dc79a03422c): crds/bitnami.com_sealedsecrets.yaml (installed from crds/, never upgraded by Helm itself); templates/service.yaml: Service `sealed-secrets.fullname` in `sealed-secrets.namespace` (values.namespace, else the release namespace); templates/deployment.yaml: `--key-prefix secretName`, `--key-renew-period keyrenewperiod`; v0.36.6 pkg/controller/main.go initKeyRegistry loads the Secret named by the key prefix and every Secret labelled sealedsecrets.bitnami.com/sealed-secrets-key=active, initKeyRenewal generates a key when there is none (period 0: never again)',
  },
  {
    chart: 'flux-operator',
    crds: 'flux-operator/crds/',
    source: 'flux-operator chart templates/crds.yaml (installCRDs, default true): FluxInstance, FluxReport, ResourceSet, ResourceSetInputProvider',
  },
  {
    chart: 'external-secrets',
    crds: 'external-secrets/crds/',
    crdsWhen: (v) => v.installCRDs !== false,
    source:
      'external-secrets chart 2.9.0: installCRDs (default true) renders the CRDs of config/crds/bases as chart templates, upgraded with the release (external-secrets/NOTES.md; values.yaml `installCRDs`, `crds.create*`)',
  },
  // storage (issue 13)
  {
    chart: 'rook-ceph',
    crds: 'rook-ceph/crds/',
    crdsWhen: (v) => field(v, 'crds', 'enabled') !== false,
    source:
      'rook-ceph chart v1.20.6: crds.enabled (default true) installs deploy/examples/crds.yaml (ceph.rook.io, objectbucket.io); the ceph-csi-operator subchart (csi.installCsiOperator, default true) brings the csi.ceph.io CRDs (rook-ceph/NOTES.md, rook-ceph/crds/ceph-csi-operator)',
  },
  {
    chart: 'longhorn',
    crds: 'longhorn/crds/',
    objects: (_v, hr) => [{ group: '', kind: 'Service', name: 'longhorn-frontend', namespace: releaseNamespace(hr) }],
    source: 'longhorn chart 1.12.1: the CRDs are chart templates (templates/crds.yaml, longhorn/NOTES.md); templates/deployment-ui.yaml + Service longhorn-frontend (port 80) for the UI',
  },
  {
    chart: 'azuredisk-csi-driver',
    references: (v) => {
      const name = stringField(field(v, 'controller'), 'cloudConfigSecretName');
      const ns = stringField(field(v, 'controller'), 'cloudConfigSecretNamespace') ?? 'kube-system';
      return secret(name, ns, 'values controller.cloudConfigSecretName');
    },
    source:
      'azuredisk-csi-driver chart 1.34.5: the controller and node read the cloud config from Secret controller/node.cloudConfigSecretName in cloudConfigSecretNamespace (default azure-cloud-provider in kube-system), falling back to /etc/kubernetes/azure.json, which Talos nodes lack (csi-drivers/NOTES.md)',
  },
  {
    chart: 'aws-cloud-controller-manager',
    references: (v, ns) => list(v.env).flatMap((e) => secret(stringField(field(e, 'valueFrom', 'secretKeyRef'), 'name'), ns, 'values env.valueFrom.secretKeyRef')),
    source: 'aws-cloud-controller-manager chart 0.0.11 templates/daemonset.yaml: `env` is the container env (static keys through secretKeyRef, ccm-aws/NOTES.md "Credentials"); no CRDs',
  },
  {
    chart: 'cloud-provider-azure',
    // With cloudConfig "" and dynamic reloading, the CCM reads azure.json from Secret
    // <cloudConfigSecretName> in kube-system, key cloud-config (flag defaults the chart does not expose).
    references: (v) => {
      const ccm = field(v, 'cloudControllerManager');
      const name = stringField(ccm, 'cloudConfigSecretName');
      const fromSecret = stringField(ccm, 'cloudConfig') === '' && String(field(ccm, 'enableDynamicReloading')) === 'true';
      return fromSecret ? secret(name, 'kube-system', 'values cloudControllerManager.cloudConfigSecretName (azure.json, key cloud-config)') : [];
    },
    source:
      'cloud-provider-azure chart 1.36.0 templates/cloud-provider-azure.yaml: --cloud-config-secret-name from cloudControllerManager.cloudConfigSecretName; the CCM builds its config from Secret kube-system/<name> key cloud-config when --cloud-config is empty and dynamic reloading is on (ccm-azure/NOTES.md "Credentials"); no CRDs',
  },
  {
    chart: 'proxmox-cloud-controller-manager',
    references: (v, ns) => {
      const clusters = field(v, 'config', 'clusters');
      if (Array.isArray(clusters) && clusters.length > 0) return [];
      return secret(stringField(v, 'existingConfigSecret') ?? 'proxmox-cloud-controller-manager', ns, 'values existingConfigSecret (config.yaml)');
    },
    source:
      'proxmox-cloud-controller-manager chart 0.2.27 templates: a Secret <fullname> with config.yaml when config.clusters is non-empty, else the pod mounts existingConfigSecret (key existingConfigSecretKey), else a Secret <fullname> nobody creates (proxmox-ccm/NOTES.md "Credentials"); no CRDs',
  },
  {
    chart: 'velero',
    crds: 'velero/crds/',
    // credentials.useSecret (default true) with existingSecret: the server and node-agent mount that Secret (key `cloud`).
    references: (v, ns) => (field(v, 'credentials', 'useSecret') === false ? [] : secret(stringField(field(v, 'credentials'), 'existingSecret'), ns, 'values credentials.existingSecret')),
    objects: (v, hr) => {
      const ns = releaseNamespace(hr);
      const fullname = helmFullname(v, hr, 'velero');
      const out: Thing[] = [];
      if (v.backupsEnabled !== false) {
        for (const l of list(field(v, 'configuration', 'backupStorageLocation'))) {
          const name = stringField(l, 'name') ?? 'default';
          out.push({ group: 'velero.io', kind: 'BackupStorageLocation', name, namespace: ns });
        }
      }
      for (const name of Object.keys(isJsonObject(v.schedules) ? v.schedules : {}).sort()) out.push({ group: 'velero.io', kind: 'Schedule', name: `${fullname}-${name}`, namespace: ns });
      for (const name of Object.keys(isJsonObject(v.configMaps) ? v.configMaps : {}).sort()) out.push({ group: '', kind: 'ConfigMap', name: `${fullname}-${name}`, namespace: ns });
      return out;
    },
    source:
      'velero chart 12.1.0 (velero/NOTES.md): CRDs in the chart crds/ folder (Flux install/upgrade crds CreateReplace; upgradeCRDs Job off), credentials.existingSecret mounted at /credentials/cloud when credentials.useSecret; templates/backupstoragelocation.yaml (one BSL per configuration.backupStorageLocation[] entry, when backupsEnabled), templates/schedule.yaml (Schedule `<fullname>-<key>` per schedules key), templates/configmaps.yaml (ConfigMap `<fullname>-<key>` per configMaps key)',
  },
];

/** Namespace a HelmRelease installs into: `targetNamespace`, else its own. */
function releaseNamespace(hr: JsonObject): string {
  return stringField(field(hr, 'spec'), 'targetNamespace') ?? meta(hr).namespace ?? 'default';
}

/** Helm's usual `<chart>.fullname`: fullnameOverride, else the release name when it contains the chart name, else `<release>-<chart>`. */
function helmFullname(values: JsonObject, hr: JsonObject, chart: string): string {
  const override = stringField(values, 'fullnameOverride');
  if (override) return override;
  const release = stringField(field(hr, 'spec'), 'releaseName') ?? meta(hr).name;
  const name = stringField(values, 'nameOverride') ?? chart;
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-$/, '');
}

/** The controller knowledge table. */
export const CONTROLLER_KNOWLEDGE: readonly ControllerKnowledge[] = [
  ...CROSSPLANE_KNOWLEDGE,
  {
    id: 'flux/Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    kind: 'Kustomization',
    description: 'reads its kubeConfig, decryption and postBuild Secrets/ConfigMaps from its own namespace; its source object must exist',
    source: 'https://fluxcd.io/flux/components/kustomize/kustomizations/ (kubeConfig, decryption, postBuild.substituteFrom, sourceRef)',
    references: (o) => {
      const ns = meta(o).namespace;
      const src = field(o, 'spec', 'sourceRef');
      return [
        ...kubeConfigSecret(o),
        ...secret(stringField(field(o, 'spec', 'decryption', 'secretRef'), 'name'), ns, 'spec.decryption.secretRef.name'),
        ...list(field(o, 'spec', 'postBuild', 'substituteFrom'))
          .filter((s) => s.optional !== true)
          .map((s) => ({ group: '', kind: stringField(s, 'kind') ?? 'ConfigMap', name: stringField(s, 'name') ?? '', ...(ns ? { namespace: ns } : {}), field: 'spec.postBuild.substituteFrom' })),
        ...(isJsonObject(src)
          ? [{ group: 'source.toolkit.fluxcd.io', kind: stringField(src, 'kind') ?? 'GitRepository', name: stringField(src, 'name') ?? '', namespace: stringField(src, 'namespace') ?? ns, field: 'spec.sourceRef' }]
          : []),
      ];
    },
  },
  {
    id: 'flux/HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    kind: 'HelmRelease',
    description:
      'reads valuesFrom and kubeConfig from its namespace, needs its chart source and the HelmReleases it dependsOn; once Ready, the chart’s CRDs and objects exist on the target cluster, and targetNamespace when install.createNamespace',
    source: 'https://fluxcd.io/flux/components/helm/helmreleases/ (valuesFrom, chart.spec.sourceRef, chartRef, dependsOn, kubeConfig, install.createNamespace)',
    references: (o, ctx) => {
      const ns = meta(o).namespace;
      const out: Reference[] = [...kubeConfigSecret(o)];
      for (const v of list(field(o, 'spec', 'valuesFrom'))) {
        if (v.optional === true) continue;
        out.push({ group: '', kind: stringField(v, 'kind') ?? 'ConfigMap', name: stringField(v, 'name') ?? '', ...(ns ? { namespace: ns } : {}), field: 'spec.valuesFrom' });
      }
      const src = field(o, 'spec', 'chart', 'spec', 'sourceRef');
      const ref = isJsonObject(src) ? src : field(o, 'spec', 'chartRef');
      if (isJsonObject(ref)) {
        out.push({ group: 'source.toolkit.fluxcd.io', kind: stringField(ref, 'kind') ?? 'HelmRepository', name: stringField(ref, 'name') ?? '', namespace: stringField(ref, 'namespace') ?? ns, field: 'spec.chart' });
      }
      for (const d of list(field(o, 'spec', 'dependsOn'))) {
        out.push({ group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', name: stringField(d, 'name') ?? '', namespace: stringField(d, 'namespace') ?? ns, field: 'spec.dependsOn' });
      }
      const chart = CHART_KNOWLEDGE.find((c) => c.chart === ctx.chartOf(o));
      const target = ctx.remoteClusterOf(o);
      const targetNs = stringField(field(o, 'spec'), 'targetNamespace') ?? ns ?? 'default';
      if (chart?.references) out.push(...chart.references(ctx.valuesOf(o), targetNs).map((r) => (target ? { ...r, cluster: target } : r)));
      return out;
    },
    providesOnceReady: (o, ctx) => {
      const name = ctx.chartOf(o);
      const chart = CHART_KNOWLEDGE.find((c) => c.chart === name) ?? (name ? { chart: name, crds: ctx.lockedChartCrds(name), source: 'the chart component\'s crds/ folder in upstream.lock.json' } : undefined);
      const values = ctx.valuesOf(o);
      const target = ctx.remoteClusterOf(o);
      const at = (t: Thing): Thing => (target ? { ...t, cluster: target } : t);
      const out: Thing[] = [];
      if (chart?.crds && (chart.crdsWhen?.(values) ?? true)) {
        for (const crd of ctx.crdsUnder(chart.crds)) {
          out.push(at({ group: crd.group, kind: crd.kind, served: true }), at({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: crd.name }));
        }
      }
      if (chart?.objects) out.push(...chart.objects(values, o, ctx).map(at));
      const targetNs = stringField(field(o, 'spec'), 'targetNamespace');
      if (targetNs && field(o, 'spec', 'install', 'createNamespace') === true) out.push(at({ group: '', kind: 'Namespace', name: targetNs }));
      return out;
    },
  },
  {
    id: 'flux/sources',
    group: 'source.toolkit.fluxcd.io',
    kind: '*',
    description: 'GitRepository, HelmRepository, OCIRepository and Bucket read spec.secretRef (and certSecretRef) from their namespace',
    source: 'https://fluxcd.io/flux/components/source/ (secretRef, certSecretRef)',
    references: (o) => [
      ...secret(stringField(field(o, 'spec', 'secretRef'), 'name'), meta(o).namespace, 'spec.secretRef.name'),
      ...secret(stringField(field(o, 'spec', 'certSecretRef'), 'name'), meta(o).namespace, 'spec.certSecretRef.name'),
    ],
  },
  {
    id: 'flux-operator/FluxInstance',
    group: 'fluxcd.controlplane.io',
    kind: 'FluxInstance',
    description: 'once Ready, the Flux controllers run and the Flux CRDs are served',
    source: 'https://fluxcd.control-plane.io/operator/fluxinstance/ (the operator installs the distribution’s CRDs and controllers)',
    providesOnceReady: (_o, ctx) => ctx.crdsUnder(FLUX_CRDS_PREFIX).map((c) => ({ group: c.group, kind: c.kind, served: true })),
  },
  {
    id: 'sealed-secrets/SealedSecret',
    group: 'bitnami.com',
    kind: 'SealedSecret',
    description: 'needs the SealedSecret CRD served (the controller\u2019s chart); once Synced, the controller has written the Secret of the same name and namespace',
    source:
      'bitnami-labs/sealed-secrets v0.36.6 (6dc880366d1cafa16683173cc3c8e3b58e930937): pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go Unseal forces the Secret name/namespace to the SealedSecret\u2019s; pkg/controller/controller.go writes it and sets condition Synced (types.go SealedSecretSynced)',
    providesOnceReady: (o) => secret(meta(o).name, meta(o).namespace, ''),
  },
  {
    id: 'cert-manager/Certificate',
    group: 'cert-manager.io',
    kind: 'Certificate',
    description: 'needs its issuer; once Ready, cert-manager has written the Secret spec.secretName in the Certificate’s namespace',
    source: 'https://cert-manager.io/docs/usage/certificate/ (spec.secretName, spec.issuerRef)',
    references: (o) => {
      const ref = field(o, 'spec', 'issuerRef');
      const kind = stringField(ref, 'kind') ?? 'Issuer';
      const group = stringField(ref, 'group') ?? 'cert-manager.io';
      if (group !== 'cert-manager.io') return [];
      const ns = meta(o).namespace;
      return [{ group, kind, name: stringField(ref, 'name') ?? '', ...(kind === 'Issuer' && ns ? { namespace: ns } : {}), field: 'spec.issuerRef', isClass: true }];
    },
    providesOnceReady: (o) => secret(stringField(field(o, 'spec'), 'secretName'), meta(o).namespace, ''),
  },
  {
    id: 'cert-manager/issuers',
    group: 'cert-manager.io',
    kind: '*Issuer',
    description:
      'a ClusterIssuer reads its Secrets (CA key pair, DNS-01 tokens) from the cluster resource namespace (cert-manager’s), an Issuer from its own; the ACME account key (privateKeySecretRef) is written by cert-manager',
    source: 'https://cert-manager.io/docs/configuration/ (cluster resource namespace), /configuration/ca/, /configuration/acme/dns01/cloudflare/',
    references: (o, ctx) => {
      const isCluster = stringField(o, 'kind') === 'ClusterIssuer';
      const ns = isCluster ? clusterResourceNamespace(ctx) : meta(o).namespace;
      const out: Reference[] = [...secret(stringField(field(o, 'spec', 'ca'), 'secretName'), ns, 'spec.ca.secretName')];
      for (const s of list(field(o, 'spec', 'acme', 'solvers'))) {
        const cf = field(s, 'dns01', 'cloudflare');
        out.push(...secret(stringField(field(cf, 'apiTokenSecretRef'), 'name'), ns, 'spec.acme.solvers.dns01.cloudflare.apiTokenSecretRef'));
        out.push(...secret(stringField(field(cf, 'apiKeySecretRef'), 'name'), ns, 'spec.acme.solvers.dns01.cloudflare.apiKeySecretRef'));
        const r53 = field(s, 'dns01', 'route53');
        out.push(...secret(stringField(field(r53, 'secretAccessKeySecretRef'), 'name'), ns, 'spec.acme.solvers.dns01.route53.secretAccessKeySecretRef'));
      }
      return out;
    },
  },
  {
    id: 'gateway-api/Gateway',
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    description: 'needs its GatewayClass and the Secrets its listeners’ certificateRefs name',
    source: 'https://gateway-api.sigs.k8s.io/reference/spec/#gateway (gatewayClassName, listeners[].tls.certificateRefs)',
    references: (o) => {
      const ns = meta(o).namespace;
      const out: Reference[] = [];
      const cls = stringField(field(o, 'spec'), 'gatewayClassName');
      if (cls) out.push({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: cls, field: 'spec.gatewayClassName', isClass: true });
      for (const l of list(field(o, 'spec', 'listeners'))) {
        for (const c of list(field(l, 'tls', 'certificateRefs'))) {
          if ((stringField(c, 'kind') ?? 'Secret') !== 'Secret' || (stringField(c, 'group') ?? '') !== '') continue;
          out.push(...secret(stringField(c, 'name'), stringField(c, 'namespace') ?? ns, 'spec.listeners.tls.certificateRefs'));
        }
      }
      return out;
    },
  },
  {
    id: 'gateway-api/routes',
    group: 'gateway.networking.k8s.io',
    kind: '*Route',
    description: 'a route needs the Gateways its parentRefs name; its backend Services must exist eventually (a missing backend only sets ResolvedRefs false)',
    source: 'https://gateway-api.sigs.k8s.io/reference/spec/#parentreference, #httpbackendref',
    references: (o) => [
      ...list(field(o, 'spec', 'parentRefs'))
        .filter((p) => (stringField(p, 'kind') ?? 'Gateway') === 'Gateway')
        .map((p) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: stringField(p, 'name') ?? '', namespace: stringField(p, 'namespace') ?? meta(o).namespace, field: 'spec.parentRefs' })),
      ...list(field(o, 'spec', 'rules'))
        .flatMap((r) => list(r.backendRefs))
        .filter((b) => (stringField(b, 'kind') ?? 'Service') === 'Service' && (stringField(b, 'group') ?? '') === '')
        .map((b) => ({ group: '', kind: 'Service', name: stringField(b, 'name') ?? '', namespace: stringField(b, 'namespace') ?? meta(o).namespace, field: 'spec.rules.backendRefs', eventual: true })),
    ],
  },
  {
    id: 'kubernetes/workloads',
    group: 'apps',
    kind: '*',
    description: 'a pod template needs its ServiceAccount, PriorityClass, and the Secrets/ConfigMaps its volumes, env and imagePullSecrets name (optional ones excepted)',
    source: 'https://kubernetes.io/docs/concepts/workloads/pods/ (volumes, envFrom, serviceAccountName, priorityClassName)',
    references: (o) => (WORKLOAD_KINDS.includes(stringField(o, 'kind') ?? '') ? podReferences(field(o, 'spec', 'template', 'spec'), meta(o).namespace, 'spec.template.spec') : []),
  },
  {
    id: 'kubernetes/classes',
    group: '*',
    kind: '*',
    description: 'PersistentVolumeClaim storageClassName, Ingress ingressClassName, VolumeSnapshot volumeSnapshotClassName name a class',
    source: 'https://kubernetes.io/docs/concepts/storage/storage-classes/, /services-networking/ingress/#ingress-class, /storage/volume-snapshot-classes/',
    references: (o) => {
      const kind = stringField(o, 'kind');
      const spec = field(o, 'spec');
      const sc = kind === 'PersistentVolumeClaim' ? stringField(spec, 'storageClassName') : undefined;
      const ic = kind === 'Ingress' ? stringField(spec, 'ingressClassName') : undefined;
      const vc = kind === 'VolumeSnapshot' ? stringField(spec, 'volumeSnapshotClassName') : undefined;
      return [
        ...(sc ? [{ group: 'storage.k8s.io', kind: 'StorageClass', name: sc, field: 'spec.storageClassName', isClass: true }] : []),
        ...(ic ? [{ group: 'networking.k8s.io', kind: 'IngressClass', name: ic, field: 'spec.ingressClassName', isClass: true }] : []),
        ...(vc ? [{ group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass', name: vc, field: 'spec.volumeSnapshotClassName', isClass: true }] : []),
      ];
    },
  },
  {
    id: 'cluster-api/Cluster',
    group: 'cluster.x-k8s.io',
    kind: 'Cluster',
    description: 'needs its infrastructure and control-plane objects; once its control plane is initialized, `<name>-kubeconfig` (key `value`) exists in its namespace',
    source: 'https://cluster-api.sigs.k8s.io/developer/architecture/controllers/cluster.html (kubeconfig Secret), Cluster spec.infrastructureRef/controlPlaneRef',
    references: (o) => {
      const ns = meta(o).namespace;
      return (['infrastructureRef', 'controlPlaneRef'] as const).flatMap((f) => {
        const r = field(o, 'spec', f);
        if (!isJsonObject(r) || !stringField(r, 'name')) return [];
        const group = stringField(r, 'apiGroup') ?? groupOf(stringField(r, 'apiVersion'));
        return [{ group, kind: stringField(r, 'kind') ?? '', name: stringField(r, 'name')!, ...(ns ? { namespace: ns } : {}), field: `spec.${f}` }];
      });
    },
    providesOnceReady: (o) => secret(`${meta(o).name}-kubeconfig`, meta(o).namespace, ''),
  },
  {
    id: 'cluster-api/machines',
    group: '*',
    kind: '*',
    description:
      'MachineDeployment/MachineSet/MachinePool templates need their bootstrap configRef and infrastructureRef; TalosControlPlane its infrastructureTemplate; MachineHealthCheck and MachineDeployment their Cluster (spec.clusterName)',
    source: 'Cluster API MachineDeployment spec.template.spec.{bootstrap.configRef,infrastructureRef} and spec.clusterName (pinned capi-core CRDs); CACPPT TalosControlPlane spec.infrastructureTemplate (pinned capi-talos CRD)',
    references: (o) => {
      const kind = stringField(o, 'kind') ?? '';
      const group = groupOf(stringField(o, 'apiVersion'));
      const ns = meta(o).namespace;
      const ref = (r: unknown, at: string): Reference[] => {
        if (!isJsonObject(r) || !stringField(r, 'name') || !stringField(r, 'kind')) return [];
        return [{ group: stringField(r, 'apiGroup') ?? groupOf(stringField(r, 'apiVersion')), kind: stringField(r, 'kind')!, name: stringField(r, 'name')!, namespace: stringField(r, 'namespace') ?? ns, field: at }];
      };
      const out: Reference[] = [];
      if (group === 'cluster.x-k8s.io' && ['MachineDeployment', 'MachineSet', 'MachinePool'].includes(kind)) {
        const tpl = field(o, 'spec', 'template', 'spec');
        out.push(...ref(field(tpl, 'bootstrap', 'configRef'), 'spec.template.spec.bootstrap.configRef'), ...ref(field(tpl, 'infrastructureRef'), 'spec.template.spec.infrastructureRef'));
      }
      if (group === 'cluster.x-k8s.io' && ['MachineDeployment', 'MachineSet', 'MachinePool', 'MachineHealthCheck'].includes(kind)) {
        const c = stringField(field(o, 'spec'), 'clusterName');
        if (c) out.push({ group: 'cluster.x-k8s.io', kind: 'Cluster', name: c, ...(ns ? { namespace: ns } : {}), field: 'spec.clusterName' });
      }
      if (group === 'controlplane.cluster.x-k8s.io' && kind === 'TalosControlPlane') out.push(...ref(field(o, 'spec', 'infrastructureTemplate'), 'spec.infrastructureTemplate'));
      return out;
    },
  },
  {
    id: 'cluster-api/ClusterResourceSet',
    group: 'addons.cluster.x-k8s.io',
    kind: 'ClusterResourceSet',
    description: 'copies the Secrets/ConfigMaps spec.resources names, from its own namespace, to the selected clusters',
    source: 'https://cluster-api.sigs.k8s.io/tasks/cluster-resource-set (resources are read from the ClusterResourceSet’s namespace)',
    references: (o) =>
      list(field(o, 'spec', 'resources')).map((r) => ({ group: '', kind: stringField(r, 'kind') ?? 'Secret', name: stringField(r, 'name') ?? '', namespace: meta(o).namespace, field: 'spec.resources' })),
  },
  {
    id: 'cluster-api-operator/providers',
    group: 'operator.cluster.x-k8s.io',
    kind: '*Provider',
    description: 'reads spec.configSecret (provider variables such as credentials); once Ready, the provider’s CRDs are served',
    source: 'https://cluster-api-operator.sigs.k8s.io/topics/configuration/ (configSecret), provider components include their CRDs',
    references: (o) => {
      const s = field(o, 'spec', 'configSecret');
      return secret(stringField(s, 'name'), stringField(s, 'namespace') ?? meta(o).namespace, 'spec.configSecret');
    },
    providesOnceReady: (o, ctx) => {
      const prefix = CAPI_PROVIDER_CRDS[`${stringField(o, 'kind')}/${meta(o).name}`];
      return prefix ? ctx.crdsUnder(prefix).map((c) => ({ group: c.group, kind: c.kind, served: true })) : [];
    },
  },
  {
    id: 'capa/AWSCluster',
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSCluster',
    description: 'needs the identity its identityRef names (cluster-scoped)',
    source: 'https://cluster-api-aws.sigs.k8s.io/topics/multitenancy (identityRef)',
    references: (o) => {
      const r = field(o, 'spec', 'identityRef');
      const kind = stringField(r, 'kind');
      if (!kind || kind === 'AWSClusterControllerIdentity') return [];
      return [{ group: 'infrastructure.cluster.x-k8s.io', kind, name: stringField(r, 'name') ?? '', field: 'spec.identityRef' }];
    },
  },
  {
    id: 'capa/AWSClusterStaticIdentity',
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSClusterStaticIdentity',
    description: 'reads spec.secretRef from the namespace the CAPA controller runs in (capa-system)',
    source: 'https://cluster-api-aws.sigs.k8s.io/topics/multitenancy#awsclusterstaticidentity ("the Secret must be in the same namespace as the CAPA controller")',
    references: (o) => secret(stringField(field(o, 'spec'), 'secretRef'), 'capa-system', 'spec.secretRef'),
  },
  {
    id: 'capz/AzureCluster',
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AzureCluster',
    description: 'needs the AzureClusterIdentity its identityRef names',
    source: 'https://capz.sigs.k8s.io/topics/identities (identityRef)',
    references: (o) => {
      const r = field(o, 'spec', 'identityRef');
      if (!isJsonObject(r) || !stringField(r, 'name')) return [];
      return [{ group: 'infrastructure.cluster.x-k8s.io', kind: stringField(r, 'kind') ?? 'AzureClusterIdentity', name: stringField(r, 'name')!, namespace: stringField(r, 'namespace') ?? meta(o).namespace, field: 'spec.identityRef' }];
    },
  },
  {
    id: 'capg+capmox/credentialsRef',
    group: 'infrastructure.cluster.x-k8s.io',
    kind: '*Cluster',
    description: 'GCPCluster and ProxmoxCluster read their provider credentials from spec.credentialsRef',
    source: 'cluster-api-provider-gcp GCPClusterSpec.credentialsRef; cluster-api-provider-proxmox ProxmoxClusterSpec.credentialsRef (pinned CRDs)',
    references: (o) => {
      const r = field(o, 'spec', 'credentialsRef');
      return secret(stringField(r, 'name'), stringField(r, 'namespace') ?? meta(o).namespace, 'spec.credentialsRef');
    },
  },
  {
    id: 'metal3/BareMetalHost',
    group: 'metal3.io',
    kind: 'BareMetalHost',
    description: 'reads the BMC credentials Secret spec.bmc.credentialsName from its namespace',
    source: 'https://book.metal3.io/bmo/introduction (bmc.credentialsName: Secret with username and password in the host’s namespace)',
    references: (o) => secret(stringField(field(o, 'spec', 'bmc'), 'credentialsName'), meta(o).namespace, 'spec.bmc.credentialsName'),
  },
  {
    id: 'velero/BackupStorageLocation',
    group: 'velero.io',
    kind: 'BackupStorageLocation',
    description: 'reads the credentials Secret spec.credential (name, key) from its own namespace, when set (otherwise the server\'s credentials file)',
    source: 'https://velero.io/docs/v1.18/api-types/backupstoragelocation/ (spec.credential: a SecretKeySelector in the Velero namespace); pinned CRD velero/crds/velero.io_backupstoragelocations.yaml',
    references: (o) => secret(stringField(field(o, 'spec', 'credential'), 'name'), meta(o).namespace, 'spec.credential'),
  },
  {
    id: 'velero/Schedule',
    group: 'velero.io',
    kind: 'Schedule',
    description:
      'each backup it starts needs the BackupStorageLocation spec.template.storageLocation and the resource-policy ConfigMap spec.template.resourcePolicy of its namespace; checked when a backup runs, so they must exist in the final state',
    source: 'https://velero.io/docs/v1.18/api-types/schedule/ and /resource-filtering/#resource-policies (resourcePolicy kind configmap, same namespace); a Backup fails validation when its storage location or policy is missing',
    references: (o) => {
      const ns = meta(o).namespace;
      const out: Reference[] = [];
      const t = field(o, 'spec', 'template');
      const bsl = stringField(t, 'storageLocation');
      if (bsl) out.push({ group: 'velero.io', kind: 'BackupStorageLocation', name: bsl, namespace: ns, field: 'spec.template.storageLocation', eventual: true });
      const policy = field(t, 'resourcePolicy');
      if (stringField(policy, 'name')) out.push({ group: '', kind: 'ConfigMap', name: stringField(policy, 'name')!, namespace: ns, field: 'spec.template.resourcePolicy', eventual: true });
      return out;
    },
  },
  {
    id: 'external-secrets/ExternalSecret',
    group: 'external-secrets.io',
    kind: 'ExternalSecret',
    description:
      'needs its store (a class: SecretStore in its namespace, or ClusterSecretStore) and the generators dataFrom names; once Ready, the operator has written the target Secret (spec.target.name, default metadata.name) in its namespace; with creationPolicy Merge the Secret must exist before',
    source:
      'https://external-secrets.io/latest/api/externalsecret/ (secretStoreRef, target.name defaults to the ExternalSecret name, creationPolicy Owner/Orphan/Merge/None, dataFrom.sourceRef.generatorRef; Ready condition SecretSynced)',
    references: (o) => {
      const ns = meta(o).namespace;
      const out: Reference[] = [];
      const store = field(o, 'spec', 'secretStoreRef');
      const kind = stringField(store, 'kind') ?? 'SecretStore';
      if (stringField(store, 'name')) {
        out.push({ group: 'external-secrets.io', kind, name: stringField(store, 'name')!, ...(kind === 'SecretStore' && ns ? { namespace: ns } : {}), field: 'spec.secretStoreRef', isClass: true });
      }
      for (const d of [...list(field(o, 'spec', 'dataFrom')), ...list(field(o, 'spec', 'data'))]) {
        const g = field(d, 'sourceRef', 'generatorRef');
        if (isJsonObject(g) && stringField(g, 'name')) {
          const gk = stringField(g, 'kind') ?? '';
          out.push({ group: groupOf(stringField(g, 'apiVersion')) || 'generators.external-secrets.io', kind: gk, name: stringField(g, 'name')!, ...(gk.startsWith('Cluster') || !ns ? {} : { namespace: ns }), field: 'spec.dataFrom.sourceRef.generatorRef' });
        }
      }
      const target = field(o, 'spec', 'target');
      if (stringField(target, 'creationPolicy') === 'Merge') out.push(...secret(stringField(target, 'name') ?? meta(o).name, ns, 'spec.target.name (creationPolicy Merge)'));
      return out;
    },
    providesOnceReady: (o) => {
      const target = field(o, 'spec', 'target');
      const policy = stringField(target, 'creationPolicy') ?? 'Owner';
      if (policy === 'None' || policy === 'Merge') return [];
      return secret(stringField(target, 'name') ?? meta(o).name, meta(o).namespace, '');
    },
  },
  {
    id: 'external-secrets/stores',
    group: 'external-secrets.io',
    kind: '*SecretStore',
    description:
      'a store reads its credentials Secrets (`*SecretRef`/`secretRef` selectors) and logs in with the ServiceAccounts its provider names (serviceAccountRef; TokenRequest): a SecretStore from its own namespace, a ClusterSecretStore from the namespace each selector names; Vault Kubernetes auth needs its role in Vault, GCP workload identity federation its pool provider (objects of the backend, outside Kubernetes: only a declared external input provides them)',
    source:
      'https://external-secrets.io/latest/api/secretstore/ and /api/clustersecretstore/ (SecretKeySelector and ServiceAccountSelector: namespace ignored for SecretStore, required for ClusterSecretStore); /provider/hashicorp-vault/#kubernetes-authentication (mountPath, role); /provider/google-secrets-manager/#workload-identity-federation (audience); pinned CRDs external-secrets/crds',
    references: (o) => {
      const isCluster = stringField(o, 'kind') === 'ClusterSecretStore';
      const own = meta(o).namespace;
      const out: Reference[] = [];
      // A Secret key selector ({ name, key, namespace? }) under a `secretRef`/`*SecretRef` field
      // (Azure's authSecretRef holds clientId/clientSecret selectors one level down).
      const walk = (v: unknown, at: string, inSecretRef = false): void => {
        if (Array.isArray(v)) {
          v.forEach((x) => walk(x, at, inSecretRef));
          return;
        }
        if (!isJsonObject(v)) return;
        for (const [k, x] of Object.entries(v)) {
          const path = `${at}.${k}`;
          const secretField = inSecretRef || k === 'secretRef' || k.endsWith('SecretRef');
          if (isJsonObject(x) && stringField(x, 'name') && secretField && stringField(x, 'key') !== undefined) {
            out.push(...secret(stringField(x, 'name'), isCluster ? stringField(x, 'namespace') : own, path));
          } else if (isJsonObject(x) && stringField(x, 'name') && k === 'serviceAccountRef') {
            const ns = isCluster ? stringField(x, 'namespace') : own;
            out.push({ group: '', kind: 'ServiceAccount', name: stringField(x, 'name')!, ...(ns ? { namespace: ns } : {}), field: path, isClass: true });
          } else {
            walk(x, path, secretField);
          }
        }
      };
      const provider = field(o, 'spec', 'provider');
      walk(provider, 'spec.provider');
      const k8s = field(provider, 'vault', 'auth', 'kubernetes');
      if (stringField(k8s, 'role')) out.push({ group: 'vault', kind: 'KubernetesAuthRole', name: stringField(k8s, 'role')!, field: 'spec.provider.vault.auth.kubernetes.role' });
      const audience = stringField(field(provider, 'gcpsm', 'auth', 'workloadIdentityFederation'), 'audience');
      const pool = audience?.split('/providers/')[1];
      if (pool) out.push({ group: 'iam.googleapis.com', kind: 'WorkloadIdentityPoolProvider', name: pool, field: 'spec.provider.gcpsm.auth.workloadIdentityFederation.audience' });
      return out;
    },
  },
  {
    id: 'external-secrets/PushSecret',
    group: 'external-secrets.io',
    kind: 'PushSecret',
    description: 'reads the Secret spec.selector.secret.name of its namespace and writes it through its stores (classes); produces nothing in the cluster',
    source: 'https://external-secrets.io/latest/api/pushsecret/ (selector.secret, secretStoreRefs; v1alpha1, pinned CRD external-secrets/crds)',
    references: (o) => {
      const ns = meta(o).namespace;
      const out: Reference[] = [...secret(stringField(field(o, 'spec', 'selector', 'secret'), 'name'), ns, 'spec.selector.secret.name')];
      for (const r of list(field(o, 'spec', 'secretStoreRefs'))) {
        const kind = stringField(r, 'kind') ?? 'SecretStore';
        if (stringField(r, 'name')) out.push({ group: 'external-secrets.io', kind, name: stringField(r, 'name')!, ...(kind === 'SecretStore' && ns ? { namespace: ns } : {}), field: 'spec.secretStoreRefs', isClass: true });
      }
      return out;
    },
  },
  // storage (issue 13)
  {
    id: 'storage/StorageClass',
    group: 'storage.k8s.io',
    kind: 'StorageClass',
    description:
      'the CSI sidecars read the Secrets its parameters name (csi.storage.k8s.io/{provisioner,controller-expand,node-stage,node-publish,controller-publish}-secret-{name,namespace}) when they provision, expand or mount a volume: they must exist eventually, not before',
    source: 'https://kubernetes-csi.github.io/docs/secrets-and-credentials-storage-class.html (StorageClass secret parameters); VolumeSnapshotClass: csi.storage.k8s.io/snapshotter-secret-*',
    references: (o) => secretParameters(o, ['provisioner', 'controller-expand', 'node-stage', 'node-publish', 'controller-publish']),
  },
  {
    id: 'storage/VolumeSnapshotClass',
    group: 'snapshot.storage.k8s.io',
    kind: 'VolumeSnapshotClass',
    description: 'the csi-snapshotter sidecar reads the Secret csi.storage.k8s.io/snapshotter-secret-{name,namespace} when it takes a snapshot: it must exist eventually',
    source: 'https://kubernetes-csi.github.io/docs/secrets-and-credentials-volume-snapshot-class.html',
    references: (o) => secretParameters(o, ['snapshotter', 'snapshotter-list']),
  },
  {
    id: 'rook/CephCluster',
    group: 'ceph.rook.io',
    kind: 'CephCluster',
    description: 'once Ready, the operator has created the mgr dashboard Service rook-ceph-mgr-dashboard in the cluster namespace (spec.dashboard.enabled) and the CSI Secrets rook-csi-{rbd,cephfs}-{provisioner,node} the StorageClasses name',
    source:
      'rook v1.20.6 pkg/operator/ceph/cluster/mgr/dashboard.go (Service rook-ceph-mgr-dashboard, port 7000 without SSL) and pkg/operator/ceph/csi/secrets (rook-csi-rbd-provisioner, rook-csi-rbd-node, rook-csi-cephfs-provisioner, rook-csi-cephfs-node); https://rook.io/docs/rook/v1.20/Storage-Configuration/Monitoring/ceph-dashboard/',
    providesOnceReady: (o) => {
      const ns = meta(o).namespace;
      const out: Thing[] = ['rook-csi-rbd-provisioner', 'rook-csi-rbd-node', 'rook-csi-cephfs-provisioner', 'rook-csi-cephfs-node'].map((name) => ({ group: '', kind: 'Secret', name, ...(ns ? { namespace: ns } : {}) }));
      if (field(o, 'spec', 'dashboard', 'enabled') === true) out.push({ group: '', kind: 'Service', name: 'rook-ceph-mgr-dashboard', ...(ns ? { namespace: ns } : {}) });
      return out;
    },
  },
];


/** Secrets a StorageClass or VolumeSnapshotClass names in `parameters` (`csi.storage.k8s.io/<what>-secret-name` + `-namespace`). */
function secretParameters(o: JsonObject, whats: readonly string[]): Reference[] {
  const p = field(o, 'parameters');
  if (!isJsonObject(p)) return [];
  return whats.flatMap((w) => {
    const name = stringField(p, `csi.storage.k8s.io/${w}-secret-name`);
    const namespace = stringField(p, `csi.storage.k8s.io/${w}-secret-namespace`);
    // Templated names (`${pvc.name}`) resolve per volume: nothing to check statically.
    if (!name || !namespace || name.includes('${') || namespace.includes('${')) return [];
    return [{ group: '', kind: 'Secret', name, namespace, field: `parameters.csi.storage.k8s.io/${w}-secret-name`, eventual: true }];
  });
}

function kindMatches(pattern: string, kind: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return kind.endsWith(pattern.slice(1));
  return pattern === kind;
}

/** The knowledge entries that apply to an object. */
export function knowledgeFor(o: JsonObject): ControllerKnowledge[] {
  const group = groupOf(stringField(o, 'apiVersion'));
  const kind = stringField(o, 'kind') ?? '';
  const matching = CONTROLLER_KNOWLEDGE.filter((k) => (k.group === '*' || k.group === group) && kindMatches(k.kind, kind));
  // Most specific first (an exact group and kind before wildcards), in declaration order otherwise.
  const wildcards = (k: ControllerKnowledge): number => (k.group === '*' ? 1 : 0) + (k.kind === '*' ? 1 : 0);
  return matching.map((k, i) => ({ k, i })).sort((a, b) => wildcards(a.k) - wildcards(b.k) || a.i - b.i).map(({ k }) => k);
}

const crdCache = new Map<string, CrdInfo[]>();

/**
 * Reads name, group and kind of the CRDs of a controller-gen style file (block YAML: `metadata.name`
 * at two spaces, `spec.group` and `spec.names.kind`) without parsing the large schemas; undefined
 * when a document does not look like that, so the caller parses the file in full.
 */
function scanCrds(text: string): CrdInfo[] | undefined {
  const out: CrdInfo[] = [];
  for (const doc of text.split(/^---\s*$/m)) {
    if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(doc)) {
      if (doc.trim() === '' || /^\s*(#.*)?$/.test(doc.trim())) continue;
      return undefined;
    }
    const top = (key: string): string | undefined => {
      const m = new RegExp(`^${key}:\\s*$([\\s\\S]*?)(?=^\\S)`, 'm').exec(doc + '\nend:');
      return m?.[1];
    };
    const unquote = (v: string | undefined): string | undefined => v?.trim().replace(/^["']|["']$/g, '');
    const name = unquote(/^ {2}name:\s*(\S+)\s*$/m.exec(top('metadata') ?? '')?.[1]);
    const spec = top('spec') ?? '';
    const group = unquote(/^ {2}group:\s*(\S+)\s*$/m.exec(spec)?.[1]);
    const names = /^ {2}names:\s*$([\s\S]*?)(?=^ {2}\S)/m.exec(spec + '\n  end:')?.[1] ?? '';
    const kind = unquote(/^ {4}kind:\s*(\S+)\s*$/m.exec(names)?.[1]);
    if (!name || !group || !kind) return undefined;
    out.push({ name, group, kind });
  }
  return out;
}

/** The CRDs of the locked files under `prefix`, read through the verified cache (parsed once per process). */
export function lockedCrdsUnder(cache: UpstreamSource, prefix: string): CrdInfo[] {
  const cached = crdCache.get(prefix);
  if (cached) return cached;
  const out: CrdInfo[] = [];
  if (cache instanceof SchemaPack) {
    // An installed package: the shipped pack lists every served CRD version with its file and name.
    const seen = new Set<string>();
    for (const c of cache.data.crds) {
      if (!c.file.startsWith(prefix) || c.crdName === undefined || seen.has(c.crdName)) continue;
      seen.add(c.crdName);
      out.push({ group: c.apiVersion.slice(0, c.apiVersion.indexOf('/')), kind: c.kind, name: c.crdName });
    }
    out.sort((a, b) => a.name.localeCompare(b.name));
    crdCache.set(prefix, out);
    return out;
  }
  for (const f of cache.files((e) => e.path.startsWith(prefix) && /\.ya?ml$/.test(e.path))) {
    const text = cache.read(f.path);
    if (!text.includes('CustomResourceDefinition')) continue;
    const scanned = scanCrds(text);
    if (scanned) {
      out.push(...scanned);
      continue;
    }
    for (const doc of parseYamlDocuments(text, f.path)) {
      if (stringField(doc, 'kind') !== 'CustomResourceDefinition') continue;
      const group = stringField(field(doc, 'spec'), 'group');
      const kind = stringField(field(doc, 'spec', 'names'), 'kind');
      const name = stringField(field(doc, 'metadata'), 'name');
      if (group && kind && name) out.push({ group, kind, name });
    }
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  crdCache.set(prefix, out);
  return out;
}


