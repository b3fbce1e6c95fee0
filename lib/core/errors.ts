import { IConstruct } from 'constructs';

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

/** Codes of recently created errors by message, so aggregated construct validations keep them. */
const recentCodes = new Map<string, ErrorCode>();
const RECENT_CODES_MAX = 2000;

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

  /**
   * The code of an error whose message is `message`, when that error was created recently in
   * this process. Construct validations (`node.addValidation()`) can only return message strings;
   * this is how an aggregated synth error keeps their codes.
   */
  public static codeOf(message: string): ErrorCode | undefined {
    return recentCodes.get(message);
  }

  public constructor(code: ErrorCode, scope: IConstruct | string, message: string, problems: readonly InfraFluxProblem[] = []) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${path}] ${message}`);
    this.name = 'InfraFluxError';
    this.code = code;
    this.constructPath = path;
    this.problems = problems;
    if (recentCodes.size >= RECENT_CODES_MAX) recentCodes.delete(recentCodes.keys().next().value as string);
    recentCodes.set(this.message, code);
  }
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
