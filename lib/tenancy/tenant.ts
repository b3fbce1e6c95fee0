import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CiliumNetworkPolicy } from '../../imports/cilium-cilium.io';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecUpgradeRemediationStrategy } from '../../imports/flux-helm.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/flux-kustomize.toolkit.fluxcd.io';
import { GitRepository, HelmRepository, HelmRepositorySpecType } from '../../imports/flux-source.toolkit.fluxcd.io';
import { goDuration } from '../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { declareOwner, Owner, OWNER_LABEL } from '../core/owner';
import { ChartApp } from '../flux/flux-app';
import { GitOpsCluster, GitSourceProps } from '../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../flux/kustomization';
import { crossNamespaceRefErrors, isFluxReconciler } from '../flux/lockdown';
import { ManifestApp, ManifestBackedConstruct } from '../flux/manifest-app';
import { OutputFolder } from '../flux/output-folder';
import { PodSecurityLevel } from '../flux/pod-security';

/** The label Flux's multi-tenancy examples put on every object of a tenant. */
export const TENANT_LABEL = 'toolkit.fluxcd.io/tenant';

/**
 * The namespace-wide ceilings of a tenant (one ResourceQuota per tenant namespace).
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export interface TenantQuota {
  /** @default 4 */
  readonly requestsCpuCores?: number;
  /** @default 8 */
  readonly requestsMemoryGiB?: number;
  /** @default 8 */
  readonly limitsCpuCores?: number;
  /** @default 16 */
  readonly limitsMemoryGiB?: number;
  /** @default 50 */
  readonly pods?: number;
  /** @default 10 */
  readonly persistentVolumeClaims?: number;
  /** @default 100 */
  readonly requestsStorageGiB?: number;
  /**
   * LoadBalancer Services: off by default, tenants are reached through the platform Gateway.
   * @default 0
   */
  readonly loadBalancers?: number;
  /**
   * NodePort Services.
   * @default 0
   */
  readonly nodePorts?: number;
}

/**
 * What a container of the tenant gets when it states nothing (one LimitRange per tenant
 * namespace): without it, the quota would refuse every pod that sets no requests and limits.
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export interface TenantLimits {
  /** @default 100 */
  readonly defaultRequestCpuMillis?: number;
  /** @default 128 */
  readonly defaultRequestMemoryMiB?: number;
  /** @default 500 */
  readonly defaultLimitCpuMillis?: number;
  /** @default 512 */
  readonly defaultLimitMemoryMiB?: number;
  /**
   * Largest CPU limit one container may ask for.
   * @default 2000
   */
  readonly maxCpuMillis?: number;
  /**
   * Largest memory limit one container may ask for.
   * @default 4096
   */
  readonly maxMemoryMiB?: number;
}

export interface TenantProps extends ReconcileTiming {
  /**
   * The tenant's name: its team (the value of `infraflux.io/owner` on its namespaces and the
   * {@link Owner} declared on the cluster), the `toolkit.fluxcd.io/tenant` label and the Flux
   * objects' name prefix. A DNS-1123 label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Who to tell about the tenant's alerts (the team is always `name`).
   * @default - none
   */
  readonly contact?: string;
  /**
   * The tenant's namespaces; the first holds its ServiceAccount and Flux objects.
   * @default [name]
   */
  readonly namespaces?: readonly string[];
  /**
   * The ServiceAccount (in the first namespace) Flux impersonates for every Kustomization and
   * HelmRelease of the tenant. It is bound, per tenant namespace, to the aggregated ClusterRole
   * `admin` through a RoleBinding: full rights inside the tenant's namespaces, none outside, and
   * read-only on its ResourceQuota (a tenant cannot lift its own quota).
   * @default 'flux-tenant'
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#role-based-access-control
   */
  readonly serviceAccountName?: string;
  /**
   * The tenant's own Git repository: a GitRepository `<name>` in the first namespace, the default
   * source of {@link Tenant.addKustomization}.
   * @default - none: the tenant's objects name their sources explicitly
   */
  readonly gitSource?: GitSourceProps;
  /** @default - the TenantQuota defaults */
  readonly quota?: TenantQuota;
  /** @default - the TenantLimits defaults */
  readonly limits?: TenantLimits;
  /**
   * Pod Security Admission level enforced on the tenant's namespaces.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Let the platform Gateway (Cilium's `ingress` identity) reach the tenant's pods through the
   * default-deny policy.
   * @default true
   */
  readonly allowFromGateway?: boolean;
}

/** A Flux source in a tenant namespace. */
export interface TenantSourceRef {
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket' | 'HelmRepository';
  readonly name: string;
  /** @default - the namespace of the object that references it */
  readonly namespace?: string;
}

export interface TenantKustomizationProps extends ReconcileTiming {
  /** `metadata.name`, unique in its namespace. */
  readonly name: string;
  /** Path inside the source. */
  readonly path: string;
  /**
   * Namespace of the Kustomization (one of the tenant's); it must be the source's namespace.
   * @default - the tenant's first namespace
   */
  readonly namespace?: string;
  /**
   * Source of the manifests; under the lockdown it must live in the Kustomization's namespace.
   * @default - the tenant's own GitRepository (`gitSource`)
   */
  readonly source?: TenantSourceRef;
  /**
   * Namespace the content is moved to.
   * @default - the Kustomization's namespace (a tenant cannot write elsewhere anyway)
   */
  readonly targetNamespace?: string;
  /** @default true */
  readonly prune?: boolean;
}

export interface TenantHelmRepositoryProps {
  readonly name: string;
  /** `https://` or `oci://` repository URL. */
  readonly url: string;
  /** @default - the tenant's first namespace */
  readonly namespace?: string;
}

export interface TenantHelmReleaseProps extends ReconcileTiming {
  readonly name: string;
  /** @default - the tenant's first namespace */
  readonly namespace?: string;
  /** Chart name in the source. */
  readonly chart: string;
  /** Exact chart version (no ranges). */
  readonly version: string;
  /** The HelmRepository; under the lockdown it must live in the release's namespace. */
  readonly source: TenantSourceRef;
  /**
   * Chart values (never secrets: use the chart's existing-Secret values).
   * @default {}
   */
  readonly values?: Record<string, unknown>;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * A tenant of a cluster (Flux multi-tenancy, decision 0093): its namespaces (Pod Security,
 * `infraflux.io/owner` and `toolkit.fluxcd.io/tenant` labels), the ServiceAccount Flux
 * impersonates for every Kustomization and HelmRelease the tenant owns, RoleBindings that limit it
 * to its namespaces, a Cilium default-deny policy (DNS, same-namespace and, optionally, Gateway
 * traffic allowed), a ResourceQuota and LimitRange per namespace, its {@link Owner} declared on the
 * cluster (alert routes follow) and, optionally, its own Git source.
 *
 * The platform objects above are applied by the tenant's platform Kustomization `tenant-<name>`
 * (as kustomize-controller, with `wait`); the tenant's own Flux objects (GitRepository,
 * Kustomizations, HelmRepositories, HelmReleases) go to `releases/tenant-<name>-sync/`, applied by
 * `tenant-<name>-sync`, which checks only that the tenant's ServiceAccount exists: a tenant whose
 * own sync fails never blocks the platform's layers.
 *
 * Refused at synth: a tenant object referencing a source in another namespace
 * (TENANCY_CROSS_NAMESPACE_REF), a Flux object in a tenant namespace that does not impersonate the
 * tenant's account (TENANCY_IMPERSONATION), a namespace claimed twice (TENANCY_NAMESPACE_CONFLICT).
 */
export class Tenant extends ManifestBackedConstruct {
  /** Whether `x` is a Tenant. */
  public static isTenant(x: unknown): x is Tenant {
    return x instanceof Tenant;
  }

  public readonly tenantName: string;
  public readonly namespaces: readonly string[];
  public readonly serviceAccountName: string;
  public readonly owner: Owner;
  /** The ServiceAccount Flux impersonates. */
  public readonly serviceAccount: ApiObject;
  /** The tenant's own GitRepository; undefined without `gitSource`. */
  public readonly gitRepository?: ApiObject;
  /** Kustomization applying the tenant's own Flux objects (`tenant-<name>-sync`). */
  public readonly syncKustomization: FluxKustomization;
  /** Scope of the tenant's own Flux objects (`releases/tenant-<name>-sync/`). */
  public readonly sync: OutputFolder;
  private readonly primaryNamespace: string;

  public constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(scope, id);
    this.tenantName = validateDnsLabel(this, 'tenant name', props.name ?? id);
    const namespaces = [...(props.namespaces ?? [this.tenantName])];
    if (namespaces.length === 0) invalidProp(this, 'namespaces is empty; give at least one namespace (the first holds the tenant\'s ServiceAccount)');
    namespaces.forEach((n) => validateDnsLabel(this, 'tenant namespace', n));
    const dup = namespaces.find((n, i) => namespaces.indexOf(n) !== i);
    if (dup) throw new InfraFluxError(ErrorCode.TENANCY_NAMESPACE_CONFLICT, this, `namespace "${dup}" is listed twice`);
    const reserved = namespaces.find((n) => n === 'flux-system' || n === 'default' || n.startsWith('kube-'));
    if (reserved) throw new InfraFluxError(ErrorCode.TENANCY_NAMESPACE_CONFLICT, this, `namespace "${reserved}" belongs to the platform; tenant namespaces cannot be flux-system, default or kube-*`);
    this.namespaces = namespaces;
    this.primaryNamespace = namespaces[0];
    this.serviceAccountName = validateDnsSubdomain(this, 'serviceAccountName', props.serviceAccountName ?? 'flux-tenant');
    if (this.serviceAccountName === 'default') invalidProp(this, 'serviceAccountName "default" is what the lockdown impersonates for objects that name no account; give the tenant an account of its own');
    const quota = resolveQuota(this, props.quota ?? {});
    const limits = resolveLimits(this, props.limits ?? {});
    this.owner = { team: this.tenantName, ...(props.contact ? { contact: props.contact } : {}) };
    declareOwner(this, this.owner);

    const app = this.createApp({ ...props, name: `tenant-${this.tenantName}`, namespace: this.primaryNamespace, podSecurity: props.podSecurity });
    const labels = { [OWNER_LABEL]: this.tenantName, [TENANT_LABEL]: this.tenantName };
    for (const [k, v] of Object.entries(labels)) app.namespaceObject.metadata.addLabel(k, v);
    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    namespaces.slice(1).forEach((ns) => {
      new ApiObject(app.namespaceObject.node.scope as Construct, `Namespace-${ns}`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          labels: {
            'pod-security.kubernetes.io/enforce': level.value,
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
            ...labels,
          },
        },
      });
    });

    // One folder per namespace (`releases/tenant-<name>/<namespace>/`): the per-namespace objects
    // share their names, and files are named `<kind>-<name>.yaml`. Flux applies the tree recursively.
    const folders = new Map(namespaces.map((ns) => [ns, new OutputFolder(app.content, `Namespace-${ns}`, `${app.content.folder}/${ns}`)]));
    this.serviceAccount = new ApiObject(folders.get(this.primaryNamespace)!, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: this.serviceAccountName, namespace: this.primaryNamespace, labels },
      // Flux impersonates the account; no pod runs with it.
      automountServiceAccountToken: false,
    });
    const fromGateway = props.allowFromGateway ?? true;
    for (const ns of namespaces) {
      const c = folders.get(ns)!;
      new ApiObject(c, 'RoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `tenant-${this.tenantName}-reconciler`, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.primaryNamespace }],
      });
      new ApiObject(c, 'ResourceQuota', {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: `tenant-${this.tenantName}`, namespace: ns, labels },
        spec: { hard: quota },
      });
      new ApiObject(c, 'LimitRange', {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: `tenant-${this.tenantName}`, namespace: ns, labels },
        spec: { limits: [limits] },
      });
      const tenantPods = { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: [...namespaces] }] };
      new ApiObject(c, 'DefaultDeny', {
        apiVersion: CiliumNetworkPolicy.GVK.apiVersion,
        kind: CiliumNetworkPolicy.GVK.kind,
        metadata: { name: `tenant-${this.tenantName}-default-deny`, namespace: ns, labels },
        spec: {
          endpointSelector: {},
          enableDefaultDeny: { ingress: true, egress: true },
          ingress: [{ fromEndpoints: [tenantPods] }, ...(fromGateway ? [{ fromEntities: ['ingress'] }] : [])],
          egress: [
            {
              toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
              toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
            },
            { toEndpoints: [tenantPods] },
          ],
        },
      });
    }

    const cluster = GitOpsCluster.of(this);
    this.sync = new OutputFolder(this, 'Sync', `${cluster.name}/releases/tenant-${this.tenantName}-sync`);
    this.syncKustomization = new FluxKustomization(this, 'SyncKustomization', {
      ...props,
      name: `tenant-${this.tenantName}-sync`,
      path: `${cluster.sourcePath}/releases/tenant-${this.tenantName}-sync`,
      healthChecks: [{ apiVersion: 'v1', kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.primaryNamespace }],
    });
    this.syncKustomization.addDependency(app.kustomization);
    if (props.gitSource) {
      if (!/^(https|ssh):\/\/[^\s]+$/.test(props.gitSource.url)) invalidProp(this, `gitSource url "${props.gitSource.url}" must start with https:// or ssh://`);
      this.gitRepository = new GitRepository(this.sync, 'GitRepository', {
        metadata: { name: this.tenantName, namespace: this.primaryNamespace, labels },
        spec: {
          interval: goDuration(props.gitSource.interval ?? Duration.minutes(1)),
          url: props.gitSource.url,
          ref: { branch: props.gitSource.branch ?? 'main' },
          ...(props.gitSource.secretName ? { secretRef: { name: props.gitSource.secretName } } : {}),
        },
      });
    }
    addCodedValidation(this, () => this.tenancyErrors());
  }

  /**
   * A Flux Kustomization of the tenant, in one of its namespaces, impersonating the tenant's
   * ServiceAccount. Throws TENANCY_CROSS_NAMESPACE_REF when the source is in another namespace.
   */
  public addKustomization(id: string, props: TenantKustomizationProps): ApiObject {
    const ns = this.tenantNamespace(props.namespace);
    const source = props.source ?? this.defaultSource();
    this.requireSameNamespace(`Kustomization ${ns}/${props.name}`, ns, source);
    if (source.kind === 'HelmRepository') invalidProp(this, `Kustomization ${props.name}: a HelmRepository is no Kustomization source; use GitRepository, OCIRepository or Bucket`);
    const target = props.targetNamespace !== undefined ? this.tenantNamespace(props.targetNamespace) : ns;
    return new Kustomization(this.sync, id, {
      metadata: { name: validateDnsSubdomain(this, 'Kustomization name', props.name), namespace: ns, labels: this.labels() },
      spec: {
        serviceAccountName: this.serviceAccountName,
        interval: goDuration(props.interval ?? Duration.minutes(10)),
        retryInterval: goDuration(props.retryInterval ?? Duration.minutes(1)),
        timeout: goDuration(props.timeout ?? Duration.minutes(5)),
        path: props.path,
        prune: props.prune ?? true,
        wait: true,
        targetNamespace: target,
        sourceRef: { kind: source.kind as KustomizationSpecSourceRefKind, name: source.name, namespace: ns },
        // A tenant's entry point waits for nothing of the platform's: the platform's sync
        // Kustomization applies it only after the tenant's namespaces and RBAC exist.
        dependsOn: [],
      },
    });
  }

  /** A HelmRepository in a tenant namespace, for the tenant's HelmReleases. */
  public addHelmRepository(id: string, props: TenantHelmRepositoryProps): ApiObject {
    const ns = this.tenantNamespace(props.namespace);
    const oci = props.url.startsWith('oci://');
    if (!oci && !props.url.startsWith('https://')) invalidProp(this, `HelmRepository url "${props.url}" must start with https:// or oci://`);
    return new HelmRepository(this.sync, id, {
      metadata: { name: validateDnsSubdomain(this, 'HelmRepository name', props.name), namespace: ns, labels: this.labels() },
      spec: { interval: goDuration(Duration.hours(12)), url: props.url, ...(oci ? { type: HelmRepositorySpecType.OCI } : {}) },
    });
  }

  /**
   * A HelmRelease of the tenant, impersonating its ServiceAccount. Throws
   * TENANCY_CROSS_NAMESPACE_REF when the chart source is in another namespace.
   */
  public addHelmRelease(id: string, props: TenantHelmReleaseProps): ApiObject {
    const ns = this.tenantNamespace(props.namespace);
    this.requireSameNamespace(`HelmRelease ${ns}/${props.name}`, ns, props.source);
    if (props.source.kind !== 'HelmRepository' && props.source.kind !== 'GitRepository' && props.source.kind !== 'Bucket') {
      invalidProp(this, `HelmRelease ${props.name}: chart source kind ${props.source.kind} is not allowed; use HelmRepository, GitRepository or Bucket`);
    }
    if (!EXACT_VERSION.test(props.version)) invalidProp(this, `HelmRelease ${props.name}: chart version "${props.version}" is not an exact version (e.g. 1.2.3); ranges are not allowed`);
    return new HelmRelease(this.sync, id, {
      metadata: { name: validateDnsLabel(this, 'HelmRelease name', props.name), namespace: ns, labels: this.labels() },
      spec: {
        serviceAccountName: this.serviceAccountName,
        interval: goDuration(props.interval ?? Duration.minutes(30)),
        timeout: goDuration(props.timeout ?? Duration.minutes(5)),
        releaseName: props.name,
        chart: {
          spec: {
            chart: props.chart,
            version: props.version,
            sourceRef: { kind: props.source.kind as HelmReleaseSpecChartSpecSourceRefKind, name: props.source.name, namespace: ns },
            interval: goDuration(Duration.hours(12)),
          },
        },
        install: { remediation: { retries: 3 } },
        upgrade: { remediation: { retries: 3, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK } },
        ...(props.values && Object.keys(props.values).length ? { values: { ...props.values } } : {}),
      },
    });
  }

  private labels(): Record<string, string> {
    return { [OWNER_LABEL]: this.tenantName, [TENANT_LABEL]: this.tenantName };
  }

  private tenantNamespace(ns: string | undefined): string {
    const n = ns ?? this.primaryNamespace;
    if (!this.namespaces.includes(n)) {
      throw new InfraFluxError(ErrorCode.TENANCY_IMPERSONATION, this, `namespace "${n}" is not one of tenant "${this.tenantName}"'s namespaces (${this.namespaces.join(', ')}); a tenant's objects live and write only there`);
    }
    return n;
  }

  private defaultSource(): TenantSourceRef {
    if (!this.gitRepository) invalidProp(this, 'addKustomization without a source needs the tenant\'s own gitSource; set gitSource or pass source');
    return { kind: 'GitRepository', name: this.tenantName, namespace: this.primaryNamespace };
  }

  private requireSameNamespace(what: string, ns: string, source: TenantSourceRef): void {
    const sourceNs = source.namespace ?? ns;
    if (sourceNs !== ns) {
      throw new InfraFluxError(
        ErrorCode.TENANCY_CROSS_NAMESPACE_REF,
        this,
        `${what} references ${source.kind} ${sourceNs}/${source.name} in another namespace; Flux's lockdown (--no-cross-namespace-refs=true) refuses it: create the source in "${ns}" (addHelmRepository, gitSource)`,
      );
    }
  }

  /** Cluster-wide rules: every Flux object in a tenant namespace impersonates the tenant and stays in its namespace; no namespace is claimed twice. */
  private tenancyErrors(): InfraFluxError[] {
    const cluster = GitOpsCluster.of(this);
    const mine = new Set(this.namespaces);
    const errors: InfraFluxError[] = [...crossNamespaceRefErrors(cluster, (ns) => mine.has(ns))];
    for (const c of cluster.node.findAll()) {
      if (c instanceof ApiObject && isFluxReconciler({ apiVersion: c.apiVersion, kind: c.kind }) && c.metadata.namespace && mine.has(c.metadata.namespace)) {
        const sa = (c.toJson() as { spec?: { serviceAccountName?: string } }).spec?.serviceAccountName;
        if (sa !== this.serviceAccountName) {
          errors.push(
            new InfraFluxError(
              ErrorCode.TENANCY_IMPERSONATION,
              c,
              `${c.kind} ${c.metadata.namespace}/${c.name} is in tenant "${this.tenantName}"'s namespace but impersonates ${sa ? `"${sa}"` : 'nobody (the lockdown default)'}; set spec.serviceAccountName: ${this.serviceAccountName} (create it with the tenant's addKustomization/addHelmRelease)`,
            ),
          );
        }
      }
      if (c !== this && c instanceof Tenant) {
        const shared = c.namespaces.find((n) => mine.has(n));
        if (shared && c.node.path < this.node.path) errors.push(new InfraFluxError(ErrorCode.TENANCY_NAMESPACE_CONFLICT, this, `namespace "${shared}" is already tenant "${c.tenantName}"'s (${c.node.path})`));
      }
      const app = platformAppNamespace(c);
      if (app && mine.has(app)) errors.push(new InfraFluxError(ErrorCode.TENANCY_NAMESPACE_CONFLICT, this, `namespace "${app}" is also the namespace of platform app ${c.node.path}; a tenant's namespaces are its own`));
    }
    return errors;
  }
}

/** The namespace a platform app (a chart app or manifest app that is not a tenant) installs into. */
function platformAppNamespace(c: IConstruct): string | undefined {
  if (c instanceof Tenant) return undefined;
  const chart = ChartApp.of(c);
  if (chart && !chart.installedElsewhere) return chart.namespace;
  const manifest = ManifestApp.of(c);
  return manifest?.namespace;
}

function positive(scope: IConstruct, what: string, v: number, min = 0): number {
  if (!Number.isFinite(v) || v < min) invalidProp(scope, `${what} ${v} must be a number >= ${min}`);
  return v;
}

function resolveQuota(scope: IConstruct, q: TenantQuota): Record<string, string> {
  const whole = (what: string, v: number): number => {
    positive(scope, what, v);
    if (!Number.isInteger(v)) invalidProp(scope, `${what} ${v} must be a whole number`);
    return v;
  };
  const hard = {
    'requests.cpu': `${positive(scope, 'quota.requestsCpuCores', q.requestsCpuCores ?? 4)}`,
    'requests.memory': `${positive(scope, 'quota.requestsMemoryGiB', q.requestsMemoryGiB ?? 8)}Gi`,
    'limits.cpu': `${positive(scope, 'quota.limitsCpuCores', q.limitsCpuCores ?? 8)}`,
    'limits.memory': `${positive(scope, 'quota.limitsMemoryGiB', q.limitsMemoryGiB ?? 16)}Gi`,
    'pods': `${whole('quota.pods', q.pods ?? 50)}`,
    'persistentvolumeclaims': `${whole('quota.persistentVolumeClaims', q.persistentVolumeClaims ?? 10)}`,
    'requests.storage': `${positive(scope, 'quota.requestsStorageGiB', q.requestsStorageGiB ?? 100)}Gi`,
    'services.loadbalancers': `${whole('quota.loadBalancers', q.loadBalancers ?? 0)}`,
    'services.nodeports': `${whole('quota.nodePorts', q.nodePorts ?? 0)}`,
  };
  if ((q.requestsCpuCores ?? 4) > (q.limitsCpuCores ?? 8)) invalidProp(scope, `quota.requestsCpuCores ${q.requestsCpuCores ?? 4} exceeds quota.limitsCpuCores ${q.limitsCpuCores ?? 8}`);
  if ((q.requestsMemoryGiB ?? 8) > (q.limitsMemoryGiB ?? 16)) invalidProp(scope, `quota.requestsMemoryGiB ${q.requestsMemoryGiB ?? 8} exceeds quota.limitsMemoryGiB ${q.limitsMemoryGiB ?? 16}`);
  return hard;
}

function resolveLimits(scope: IConstruct, l: TenantLimits): Record<string, unknown> {
  const v = {
    reqCpu: positive(scope, 'limits.defaultRequestCpuMillis', l.defaultRequestCpuMillis ?? 100, 1),
    reqMem: positive(scope, 'limits.defaultRequestMemoryMiB', l.defaultRequestMemoryMiB ?? 128, 1),
    limCpu: positive(scope, 'limits.defaultLimitCpuMillis', l.defaultLimitCpuMillis ?? 500, 1),
    limMem: positive(scope, 'limits.defaultLimitMemoryMiB', l.defaultLimitMemoryMiB ?? 512, 1),
    maxCpu: positive(scope, 'limits.maxCpuMillis', l.maxCpuMillis ?? 2000, 1),
    maxMem: positive(scope, 'limits.maxMemoryMiB', l.maxMemoryMiB ?? 4096, 1),
  };
  if (v.reqCpu > v.limCpu || v.limCpu > v.maxCpu) invalidProp(scope, `limits: CPU must satisfy defaultRequest ${v.reqCpu}m <= defaultLimit ${v.limCpu}m <= max ${v.maxCpu}m`);
  if (v.reqMem > v.limMem || v.limMem > v.maxMem) invalidProp(scope, `limits: memory must satisfy defaultRequest ${v.reqMem}Mi <= defaultLimit ${v.limMem}Mi <= max ${v.maxMem}Mi`);
  return {
    type: 'Container',
    defaultRequest: { cpu: `${v.reqCpu}m`, memory: `${v.reqMem}Mi` },
    default: { cpu: `${v.limCpu}m`, memory: `${v.limMem}Mi` },
    max: { cpu: `${v.maxCpu}m`, memory: `${v.maxMem}Mi` },
  };
}
