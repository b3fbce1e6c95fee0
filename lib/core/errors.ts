import { IConstruct, IValidation } from 'constructs';

/** Stable error codes: tests and users can match on them; messages may improve over time. */
export enum ErrorCode {
  /** A prop has a value outside what is allowed. */
  INVALID_PROP = 'INFRAFLUX_INVALID_PROP',
  /** Two things that must be unique are not (names, files, ids). */
  DUPLICATE = 'INFRAFLUX_DUPLICATE',
  /** A Sealed Secrets sealing certificate cannot be read as a PEM X.509 certificate. */
  SEALING_CERTIFICATE_INVALID = 'INFRAFLUX_SEALING_CERTIFICATE_INVALID',
  /** A sealing certificate's key is not an RSA key of at least 2048 bits (the controller only decrypts RSA-OAEP). */
  SEALING_KEY_UNSUPPORTED = 'INFRAFLUX_SEALING_KEY_UNSUPPORTED',
  /** A sealing certificate has expired (kubeseal refuses it too); sealing with it needs an explicit override. */
  SEALING_CERTIFICATE_EXPIRED = 'INFRAFLUX_SEALING_CERTIFICATE_EXPIRED',
  /** A SealedSecret's name, namespace or scope differs from what its data was sealed for: the controller cannot decrypt it. */
  SEALED_TARGET_MISMATCH = 'INFRAFLUX_SEALED_TARGET_MISMATCH',
  /** A committed sealed file (`SealedData.fromFile`) does not exist: it must be created with `npm run seal` first. */
  SEALED_FILE_MISSING = 'INFRAFLUX_SEALED_FILE_MISSING',
  /** A committed sealed file is not a SealedSecret manifest as `npm run seal` prints it. */
  SEALED_FILE_INVALID = 'INFRAFLUX_SEALED_FILE_INVALID',
  /** A sealed value could not be decrypted with the given private key (wrong key, name, namespace or scope). */
  UNSEAL_FAILED = 'INFRAFLUX_UNSEAL_FAILED',
  /** A key was asked of a Secret that is known not to carry it. */
  SECRET_KEY_UNKNOWN = 'INFRAFLUX_SECRET_KEY_UNKNOWN',
  /** A consumer was given a Secret in a namespace it cannot read Secrets from. */
  SECRET_NAMESPACE_MISMATCH = 'INFRAFLUX_SECRET_NAMESPACE_MISMATCH',
  /** A dependency points at something no Flux Kustomization of the cluster deploys. */
  MISSING_DEPENDENCY = 'INFRAFLUX_MISSING_DEPENDENCY',
  /** Flux Kustomizations depend on each other in a cycle. */
  DEPENDENCY_CYCLE = 'INFRAFLUX_DEPENDENCY_CYCLE',
  /** A Flux Kustomization would report Ready without checking anything. */
  NO_HEALTH_CHECKS = 'INFRAFLUX_NO_HEALTH_CHECKS',
  /** A dependency points from an earlier Flux layer to a later one. */
  LAYER_ORDER = 'INFRAFLUX_LAYER_ORDER',
  /** A Talos cluster has no workers and its control planes refuse workloads: nothing can be scheduled. */
  NO_SCHEDULABLE_NODES = 'INFRAFLUX_NO_SCHEDULABLE_NODES',
  /** Several control planes, but the Kubernetes API endpoint is one node's address (no shared VIP or load balancer). */
  ENDPOINT_NOT_HA = 'INFRAFLUX_ENDPOINT_NOT_HA',
  /** A control-plane VIP needs static node addressing so it can be checked against the node network. */
  VIP_NEEDS_STATIC_ADDRESSING = 'INFRAFLUX_VIP_NEEDS_STATIC_ADDRESSING',
  /** A control-plane VIP lies outside the control planes' network (a layer-2 VIP must share it). */
  VIP_OUTSIDE_NODE_NETWORK = 'INFRAFLUX_VIP_OUTSIDE_NODE_NETWORK',
  /** A control-plane VIP is the network or broadcast address of the node network. */
  VIP_NOT_HOST_ADDRESS = 'INFRAFLUX_VIP_NOT_HOST_ADDRESS',
  /** A control-plane VIP is the node network's gateway. */
  VIP_IS_GATEWAY = 'INFRAFLUX_VIP_IS_GATEWAY',
  /** A control-plane VIP is a node's own address. */
  VIP_IS_NODE_ADDRESS = 'INFRAFLUX_VIP_IS_NODE_ADDRESS',
  /** Synthesis found one or more validation errors (each listed in `problems` with its own code). */
  SYNTH_FAILED = 'INFRAFLUX_SYNTH_FAILED',
  /** A synthesized object does not validate against its pinned (or registered) schema, e.g. an unknown field. */
  SCHEMA_VIOLATION = 'INFRAFLUX_SCHEMA_VIOLATION',
  /** No pinned or registered schema serves the object's apiVersion/kind, and the object is not exempt. */
  UNKNOWN_KIND = 'INFRAFLUX_UNKNOWN_KIND',
  /** A HelmRelease's chart is not pinned (or registered), or its merged values do not validate against the chart. */
  INVALID_HELM_VALUES = 'INFRAFLUX_INVALID_HELM_VALUES',
  /** A Secret carries `data` or `stringData`: secret values would land in Git in plain text. */
  PLAINTEXT_SECRET = 'INFRAFLUX_PLAINTEXT_SECRET',
  /** A CRD or chart schema given to `fleet.validation` cannot be used (not a CRD, already pinned...). */
  INVALID_SCHEMA_REGISTRATION = 'INFRAFLUX_INVALID_SCHEMA_REGISTRATION',

  // --- Rule families (issue 10 item 5): one code per family of validation rules, instead of INVALID_PROP.
  /** A duration is not a positive whole number of seconds, or is outside the range a rule allows (Flux intervals, sync intervals, token validity). */
  INVALID_DURATION = 'INFRAFLUX_INVALID_DURATION',
  /** A TCP or UDP port is not a whole number in 1-65535. */
  INVALID_PORT = 'INFRAFLUX_INVALID_PORT',
  /** Pod, service and node CIDRs of a cluster overlap (they must be disjoint). */
  CIDR_OVERLAP = 'INFRAFLUX_CIDR_OVERLAP',
  /** Versions break a compatibility rule of the spec pack, or a chart has no pinned version. */
  UNSUPPORTED_VERSION = 'INFRAFLUX_UNSUPPORTED_VERSION',
  /** A cloud identifier has the wrong form: region, IAM role ARN, project id, service account, subscription or client UUID, resource group. */
  INVALID_CLOUD_IDENTIFIER = 'INFRAFLUX_INVALID_CLOUD_IDENTIFIER',
  /** Chart values set a key InfraFlux derives from validated props, or a top-level key the pinned chart does not know. */
  INVALID_CHART_VALUES = 'INFRAFLUX_INVALID_CHART_VALUES',
  /** A construct is created in a Flux layer it may not live in. */
  WRONG_LAYER = 'INFRAFLUX_WRONG_LAYER',
  /** A node count is not allowed: control planes (at least 1, odd and at least 3 for HA), worker replicas, autoscaling bounds. */
  INVALID_NODE_COUNT = 'INFRAFLUX_INVALID_NODE_COUNT',
  /** A name is too long for the names generated from it (Machine names within a provider's limit). */
  NAME_TOO_LONG = 'INFRAFLUX_NAME_TOO_LONG',
  /** A DNS record TTL is not allowed (a whole number of seconds; Cloudflare: 1 for automatic or 60/120-86400, proxied records only 1). */
  INVALID_DNS_TTL = 'INFRAFLUX_INVALID_DNS_TTL',
  // storage (issue 13)
  /** A cluster has not exactly one default StorageClass (`storageclass.kubernetes.io/is-default-class: "true"`). */
  DEFAULT_STORAGE_CLASS = 'INFRAFLUX_DEFAULT_STORAGE_CLASS',
  /** A storage backend runs on a platform it does not fit (Rook-Ceph on a cloud without opt-in, a cloud CSI driver off its cloud). */
  STORAGE_BACKEND_PLATFORM = 'INFRAFLUX_STORAGE_BACKEND_PLATFORM',
  /** Storage sizing is not allowed: Ceph monitors (odd, 1-9), replicas (1-7, at most the OSD hosts), device filter. */
  INVALID_STORAGE_SIZING = 'INFRAFLUX_INVALID_STORAGE_SIZING',
  // cloud controller managers (issue 13)
  /** A cloud cluster (AWS, Azure, GCP) has no cloud controller manager while Cilium LB IPAM is off: its LoadBalancer Services never get an address. */
  CLOUD_CCM_MISSING = 'INFRAFLUX_CLOUD_CCM_MISSING',
  /** A cloud controller manager does not fit its cluster (another provider, or Talos without the external cloud provider). */
  CLOUD_CCM_MISMATCH = 'INFRAFLUX_CLOUD_CCM_MISMATCH',
  /** A Cilium ClusterMesh has fewer than two member clusters (shared names and ids are DUPLICATE, overlapping pod CIDRs CIDR_OVERLAP). */
  MESH_MEMBERSHIP = 'INFRAFLUX_MESH_MEMBERSHIP',
  /** A Gateway route's hostname lies in no managed DNS zone, no listener certificate covers it, or the Gateway has too many listeners. */
  ROUTE_NOT_SERVABLE = 'INFRAFLUX_ROUTE_NOT_SERVABLE',
  /** A construct that must live inside a GitOpsCluster (a Flux app, a Kustomization) is not below one. */
  NOT_IN_CLUSTER = 'INFRAFLUX_NOT_IN_CLUSTER',
  /** A chart- or manifest-backed construct's `app` is read before the construct created it (a bug in that construct). */
  APP_NOT_CREATED = 'INFRAFLUX_APP_NOT_CREATED',

  // --- Files InfraFlux reads: the upstream lock and cache, the schema pack, YAML, generated READMEs, sealed values.
  /** The upstream lock (upstream.lock.json) or the repository holding it cannot be found: the pinned files only exist in a checkout. */
  UPSTREAM_LOCK_MISSING = 'INFRAFLUX_UPSTREAM_LOCK_MISSING',
  /** An upstream file or chart is not pinned in the upstream lock (or the schema pack). */
  UPSTREAM_NOT_PINNED = 'INFRAFLUX_UPSTREAM_NOT_PINNED',
  /** A pinned upstream file is not in the local cache (run `npm run upstream`). */
  UPSTREAM_CACHE_MISSING = 'INFRAFLUX_UPSTREAM_CACHE_MISSING',
  /** A cached upstream file's bytes do not match the sha256 the lock pins (run `npm run upstream`). */
  UPSTREAM_CACHE_MISMATCH = 'INFRAFLUX_UPSTREAM_CACHE_MISMATCH',
  /** A pinned upstream file does not have the structure InfraFlux reads from it (e.g. a Kubernetes swagger without definitions). */
  UPSTREAM_FILE_MALFORMED = 'INFRAFLUX_UPSTREAM_FILE_MALFORMED',
  /** The shipped schema pack is missing: the installation is incomplete. */
  SCHEMA_PACK_MISSING = 'INFRAFLUX_SCHEMA_PACK_MISSING',
  /** A schema pack has another format than this version of InfraFlux reads, or its generated validators need modules this version does not provide. */
  SCHEMA_PACK_FORMAT = 'INFRAFLUX_SCHEMA_PACK_FORMAT',
  /** A schema pack lacks a schema it should carry, or is asked to do what only the upstream cache can (generate a pack). */
  SCHEMA_PACK_INCOMPLETE = 'INFRAFLUX_SCHEMA_PACK_INCOMPLETE',
  /** A YAML text does not parse, or has more documents than allowed. */
  YAML_PARSE = 'INFRAFLUX_YAML_PARSE',
  /** A generated cluster README cannot be read back (an unclosed external-inputs block). */
  README_MALFORMED = 'INFRAFLUX_README_MALFORMED',
  /** A sealed value is structurally impossible (too short, an RSA block of the wrong size) or decrypts to a session key of the wrong size. */
  SEALED_VALUE_MALFORMED = 'INFRAFLUX_SEALED_VALUE_MALFORMED',
  /** The reference fleet (stacks/) lacks what a stack needs: a networking plan for a cluster, the management cluster's Cilium. */
  REFERENCE_FLEET_INCOMPLETE = 'INFRAFLUX_REFERENCE_FLEET_INCOMPLETE',

  // backup (issue 13)
  /** A backup schedule is not a cron expression Velero accepts (five fields in range, or an @-descriptor). */
  INVALID_CRON = 'INFRAFLUX_INVALID_CRON',
  /** A BackupStorageLocation names a bucket that no Terraform stack creates. */
  BACKUP_BUCKET_UNKNOWN = 'INFRAFLUX_BACKUP_BUCKET_UNKNOWN',
  /** Velero's credentials do not fit its storage target's credential model (a Secret for a workload identity, or none for a credentials file). */
  BACKUP_CREDENTIALS_MISMATCH = 'INFRAFLUX_BACKUP_CREDENTIALS_MISMATCH',
  // cli, rename guard, sharding (issue 17, decisions 0110-0114)
  /** A name recorded in `dist/<cluster>/.names.json` (a stateful or identity-bearing object) disappeared without `RenameGuard.renamedFrom()`/`retire()`. */
  RENAME_UNDECLARED = 'INFRAFLUX_RENAME_UNDECLARED',
  /** `dist/<cluster>/.names.json` is not the JSON the rename guard writes. */
  NAMES_MANIFEST_MALFORMED = 'INFRAFLUX_NAMES_MANIFEST_MALFORMED',

  // telemetry: logs, traces, Grafana (issue 14, h-logs; decisions 0085-0087)
  /** A log or trace store's storage does not fit its sizing (several replicas on a filesystem volume). */
  TELEMETRY_STORAGE = 'INFRAFLUX_TELEMETRY_STORAGE',
  /** A Grafana dashboard is malformed: a bad or duplicate uid, an empty row, a panel without queries or wider than the grid. */
  TELEMETRY_DASHBOARD = 'INFRAFLUX_TELEMETRY_DASHBOARD',
  // monitoring (issue 14, h-metrics)
  /** Prometheus retention is not a whole number of hours of at least 2 (one TSDB block). */
  MONITORING_RETENTION = 'INFRAFLUX_MONITORING_RETENTION',
  /** A monitoring volume size is not a whole number of GiB, or the size-based retention leaves no room in the volume. */
  MONITORING_STORAGE_SIZING = 'INFRAFLUX_MONITORING_STORAGE_SIZING',

  // alerts and alert routing (issue 14, h-alerts: lib/monitoring/alerts, decisions 0082-0083)
  /** An alerting rule's PromQL expression does not parse (or gives a range-vector function an instant vector). */
  INVALID_PROMQL = 'INFRAFLUX_INVALID_PROMQL',
  /** An alerting rule is not allowed: its name, a label name, a reserved label, a label or annotation template. */
  INVALID_ALERT_RULE = 'INFRAFLUX_INVALID_ALERT_RULE',
  /** An Alertmanager receiver lacks the Secret its credentials or URL must come from, or an owner has no receiver. */
  ALERT_RECEIVER_SECRET_MISSING = 'INFRAFLUX_ALERT_RECEIVER_SECRET_MISSING',
  // crossplane and restore (issue 13 point 4 and backup gaps; h-crossplane, decisions 0073-0075)
  /** A Crossplane object (package, XRD, Composition, XR) is on a cluster that does not run the Crossplane it names. */
  CROSSPLANE_NOT_INSTALLED = 'INFRAFLUX_CROSSPLANE_NOT_INSTALLED',
  /** A Composition or a composite resource (XR) names an XRD that is not defined on its cluster. */
  CROSSPLANE_XRD_NOT_ON_CLUSTER = 'INFRAFLUX_CROSSPLANE_XRD_NOT_ON_CLUSTER',
  /** A composite resource (XR) of an API that has no Composition on its cluster: Crossplane would never compose it. */
  CROSSPLANE_NO_COMPOSITION = 'INFRAFLUX_CROSSPLANE_NO_COMPOSITION',
  /** A Crossplane package is not fully qualified with an exact tag (v2 has no default registry; no ranges, no `latest`). */
  CROSSPLANE_INVALID_PACKAGE = 'INFRAFLUX_CROSSPLANE_INVALID_PACKAGE',
  /** A composite resource's spec does not fit its XRD's schema (a required field missing, an unknown field, a wrong type). */
  CROSSPLANE_XR_SPEC = 'INFRAFLUX_CROSSPLANE_XR_SPEC',
  /** A Velero restore names no source, two sources, or a schedule its backup plan does not have. */
  BACKUP_RESTORE_SOURCE = 'INFRAFLUX_BACKUP_RESTORE_SOURCE',

  // bootstrap (issue 16, lib/bootstrap)
  /** One or more bootstrap preflight checks failed (each listed in `problems`, with how to fix it). */
  BOOTSTRAP_PREFLIGHT_FAILED = 'INFRAFLUX_BOOTSTRAP_PREFLIGHT_FAILED',
  /** A bootstrap, destroy or verify step failed after its retries (its command, exit code and output). */
  BOOTSTRAP_STEP_FAILED = 'INFRAFLUX_BOOTSTRAP_STEP_FAILED',
  /** destroy was asked to delete a cluster that carries no bootstrap marker of this tool (without `--force`). */
  BOOTSTRAP_NOT_CREATED_HERE = 'INFRAFLUX_BOOTSTRAP_NOT_CREATED_HERE',
  /** hack/bootstrap.sh, destroy.sh or verify.sh got an unknown flag, provider or a missing value. */
  BOOTSTRAP_USAGE = 'INFRAFLUX_BOOTSTRAP_USAGE',
  // policy (issue 15, h-policy; decision 0092)
  /** A policy exemption's expiry date has passed. */
  POLICY_EXEMPTION_EXPIRED = 'INFRAFLUX_POLICY_EXEMPTION_EXPIRED',
  /** A Namespace below Pod Security restricted is not exempted from the Pod Security Standards policies explicitly. */
  POLICY_NAMESPACE_NOT_EXEMPTED = 'INFRAFLUX_POLICY_NAMESPACE_NOT_EXEMPTED',
  /** Kyverno and Gatekeeper both enforce in one cluster. */
  POLICY_ENGINES_BOTH_ENFORCING = 'INFRAFLUX_POLICY_ENGINES_BOTH_ENFORCING',
  // multi-tenancy and Flux lockdown (issue 15, h-tenancy; decisions 0093-0094)
  /** A Flux Kustomization or HelmRelease references a source in another namespace, which the lockdown (`--no-cross-namespace-refs`) refuses. */
  TENANCY_CROSS_NAMESPACE_REF = 'INFRAFLUX_TENANCY_CROSS_NAMESPACE_REF',
  /** A tenant's Flux object does not impersonate the tenant's service account, or writes outside the tenant's namespaces. */
  TENANCY_IMPERSONATION = 'INFRAFLUX_TENANCY_IMPERSONATION',
  /** A namespace is claimed by two tenants, or by a tenant and a platform app. */
  TENANCY_NAMESPACE_CONFLICT = 'INFRAFLUX_TENANCY_NAMESPACE_CONFLICT',
}

/**
 * The code of one problem: an {@link ErrorCode}, or a reconcile-model code (`RECONCILE_*`, see
 * lib/reconcile/types.ts ReconcileCode) for a fleet that would not come up from empty clusters.
 */
export type ProblemCode = ErrorCode | `RECONCILE_${string}`;

/** One problem inside an aggregated error (ErrorCode.SYNTH_FAILED): its own code, where, and what. */
export interface InfraFluxProblem {
  readonly code: ProblemCode;
  /** Construct path of the offending construct or object (`''` for the root). */
  readonly constructPath: string;
  /** The full message, starting with `[constructPath]`. */
  readonly message: string;
  /** Output file (relative to dist/), for problems found in a synthesized object. */
  readonly file?: string;
}

/**
 * The one error class of InfraFlux. The message starts with the construct path in brackets,
 * then names the bad value and what is allowed: `[fleet/prod/cilium] clusterId 0 is reserved; use 1-255`.
 */
export class InfraFluxError extends Error {
  public readonly code: ErrorCode;
  public readonly constructPath: string;
  /**
   * For an aggregated error (ErrorCode.SYNTH_FAILED): every problem found, each with its own
   * stable code. Empty for a single error.
   */
  public readonly problems: readonly InfraFluxProblem[];

  public constructor(code: ErrorCode, scope: IConstruct | string, message: string, problems: readonly InfraFluxProblem[] = []) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${path}] ${message}`);
    this.name = 'InfraFluxError';
    this.code = code;
    this.constructPath = path;
    this.problems = problems;
  }
}

/**
 * A construct validation whose results keep their codes: `validate()` returns the messages (what
 * cdk8s' `node.validate()` and `App.synth()` read), and {@link CodedValidation.errors} the
 * {@link InfraFluxError}s of its last run, with their codes. Register it with
 * {@link addCodedValidation}, so {@link validateWithCodes} finds it.
 */
export class CodedValidation implements IValidation {
  private last: readonly InfraFluxError[] = [];

  public constructor(private readonly check: () => readonly InfraFluxError[]) {}

  public validate(): string[] {
    this.last = this.check();
    return this.last.map((e) => e.message);
  }

  /** The errors of the last {@link validate} run (empty before the first). */
  public get errors(): readonly InfraFluxError[] {
    return this.last;
  }
}

/** The coded validations registered on each construct, in registration order. */
const codedValidations = new WeakMap<IConstruct, CodedValidation[]>();

/**
 * Attaches a check that spans constructs to `scope` (like `node.addValidation()`), keeping the
 * stable code of every error it returns: the fleet's aggregated synth error lists each problem
 * with its own code. `check` runs at synth and returns every problem found (empty when valid).
 */
export function addCodedValidation(scope: IConstruct, check: () => readonly InfraFluxError[]): CodedValidation {
  const validation = new CodedValidation(check);
  scope.node.addValidation(validation);
  const list = codedValidations.get(scope);
  if (list) list.push(validation);
  else codedValidations.set(scope, [validation]);
  return validation;
}

/**
 * Runs every validation of `scope` once (`node.validate()`) and returns its problems with their
 * codes: a validation added with {@link addCodedValidation} gives each error's own code; a plain
 * `node.addValidation()` (returning bare strings, e.g. from a third-party construct) gives
 * {@link ErrorCode.INVALID_PROP}. `node.validate()` concatenates the results in registration
 * order, so the coded errors of this run appear among the messages in the same order as in
 * their validations' {@link CodedValidation.errors}; an uncoded message is one that is not the
 * next coded error.
 */
export function validateWithCodes(scope: IConstruct): InfraFluxProblem[] {
  const messages = scope.node.validate();
  const coded = (codedValidations.get(scope) ?? []).flatMap((v) => v.errors);
  let next = 0;
  return messages.map((message) => {
    const error = coded[next];
    const code = error !== undefined && error.message === message ? (next++, error.code) : ErrorCode.INVALID_PROP;
    return { code, constructPath: scope.node.path, message };
  });
}

/** Throws an {@link ErrorCode.INVALID_PROP} error for `scope`. */
export function invalidProp(scope: IConstruct | string, message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_PROP, scope, message);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes names of namespaces, services and most objects: RFC 1123 label, at most 63 characters. */
export function validateDnsLabel(scope: IConstruct | string, what: string, value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a DNS-1123 label; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** Kubernetes object names of most kinds: RFC 1123 subdomain, at most 253 characters. */
export function validateDnsSubdomain(scope: IConstruct | string, what: string, value: string): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a DNS-1123 subdomain; use lowercase letters, digits, '-' and '.', at most 253 characters`);
  }
  return value;
}
