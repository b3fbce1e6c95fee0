import { IConstruct } from 'constructs';

/** Stable error codes: tests and users can match on them; messages may improve over time. */
export enum ErrorCode {
  /** A prop has a value outside what is allowed. */
  INVALID_PROP = 'INFRAFLUX_INVALID_PROP',
  /** Two things that must be unique are not (names, files, ids). */
  DUPLICATE = 'INFRAFLUX_DUPLICATE',
  /** A dependency points at something no Flux Kustomization of the cluster deploys. */
  MISSING_DEPENDENCY = 'INFRAFLUX_MISSING_DEPENDENCY',
  /** Flux Kustomizations depend on each other in a cycle. */
  DEPENDENCY_CYCLE = 'INFRAFLUX_DEPENDENCY_CYCLE',
  /** A Flux Kustomization would report Ready without checking anything. */
  NO_HEALTH_CHECKS = 'INFRAFLUX_NO_HEALTH_CHECKS',
  /** A dependency points from an earlier Flux layer to a later one. */
  LAYER_ORDER = 'INFRAFLUX_LAYER_ORDER',
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
}

/** One problem inside an aggregated error (ErrorCode.SYNTH_FAILED): its own code, where, and what. */
export interface InfraFluxProblem {
  readonly code: ErrorCode;
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
export function invalidProp(scope: IConstruct, message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_PROP, scope, message);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes names of namespaces, services and most objects: RFC 1123 label, at most 63 characters. */
export function validateDnsLabel(scope: IConstruct, what: string, value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a DNS-1123 label; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** Kubernetes object names of most kinds: RFC 1123 subdomain, at most 253 characters. */
export function validateDnsSubdomain(scope: IConstruct, what: string, value: string): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    invalidProp(scope, `${what} "${value}" is not a DNS-1123 subdomain; use lowercase letters, digits, '-' and '.', at most 253 characters`);
  }
  return value;
}
