/**
 * Types of the reconcile model (docs/reconcile.md): what it reads (rendered objects per cluster
 * and the declared external inputs) and what it reports.
 */
import type { ExternalInput, SecretUse } from '../core/external-input';

/** One rendered object: its file under dist/ (`<cluster>/<folder>/<kind>-<name>.yaml`) and its JSON. */
export interface ReconcileManifest {
  /** Path relative to dist/, the cluster folder first, e.g. `mgmt/configs/namespace-capi-system.yaml`. */
  readonly file: string;
  readonly object: Record<string, unknown>;
  /** Construct path, for messages. @default - none */
  readonly constructPath?: string;
}

export type { ExternalInput } from '../core/external-input';

/** One cluster of the model's input. */
export interface ReconcileClusterInput {
  /** Cluster name: the first folder of every file of the cluster. */
  readonly name: string;
  readonly manifests: readonly ReconcileManifest[];
  /** @default [] */
  readonly externalInputs?: readonly ExternalInput[];
  /** Secrets the cluster's constructs read, with the provenance their references claim. @default [] */
  readonly secretUses?: readonly SecretUse[];
}

/** Stable codes of the model's rules (docs/reconcile.md lists what each means). */
export enum ReconcileCode {
  /** The object's Namespace is neither applied before it nor in the same Kustomization. */
  NAMESPACE_MISSING = 'RECONCILE_NAMESPACE_MISSING',
  /** The object's kind is not served when it is applied (its CRD comes later or never). */
  CRD_MISSING = 'RECONCILE_CRD_MISSING',
  /** The object's CRD is installed by a HelmRelease of the same Kustomization: the dry run fails first. */
  CRD_FROM_SAME_KUSTOMIZATION = 'RECONCILE_CRD_FROM_SAME_KUSTOMIZATION',
  /** A referenced Secret or ConfigMap (or another named object) has no producer before it is needed. */
  UNRESOLVED_REFERENCE = 'RECONCILE_UNRESOLVED_REFERENCE',
  /** A named class or issuer (GatewayClass, ClusterIssuer, StorageClass, ...) has no producer before it is needed. */
  UNRESOLVED_CLASS = 'RECONCILE_UNRESOLVED_CLASS',
  /** A health check targets an object that nothing creates. */
  HEALTH_CHECK_TARGET = 'RECONCILE_HEALTH_CHECK_TARGET',
  /** A Kustomization can never start or become Ready (a dependsOn cycle or a missing dependency). */
  NEVER_READY = 'RECONCILE_NEVER_READY',
  /** A Kustomization applies content the model has no knowledge of. */
  UNKNOWN_CONTENT = 'RECONCILE_UNKNOWN_CONTENT',
  /** A file of dist/ that no Kustomization applies. */
  NOT_APPLIED = 'RECONCILE_NOT_APPLIED',
  /** A declared external input that nothing uses: declarations must stay true bootstrap roots. */
  UNUSED_EXTERNAL_INPUT = 'RECONCILE_UNUSED_EXTERNAL_INPUT',
  /** A construct reads a Secret as sealed, external or an external input, and nothing in its cluster provides it that way. */
  SECRET_PROVENANCE = 'RECONCILE_SECRET_PROVENANCE',
}

/** One finding of the model. */
export interface ReconcileViolation {
  readonly code: ReconcileCode;
  /** Cluster whose Flux applies the object. */
  readonly cluster: string;
  /** `dist/<file>` of the object (or of the Kustomization). */
  readonly file: string;
  /** `namespace/name` of the Kustomization that applies it. */
  readonly kustomization?: string;
  readonly message: string;
}
