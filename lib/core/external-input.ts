/**
 * A cluster's external input, declared on GitOpsCluster (lib/flux) and read by the reconcile model
 * (lib/reconcile, docs/reconcile.md): a plain type at the bottom of the layers, so lib/flux does
 * not import lib/reconcile.
 */

/**
 * Something a cluster needs that the fleet cannot produce itself (a bootstrap root): declared in
 * code with who provides it and how, so the model can count it as present and each cluster's
 * README lists it.
 */
export interface ExternalInput {
  /** Kind of the object, e.g. `Secret` or `ConfigMap`. */
  readonly kind: string;
  /** @default '' (core group) */
  readonly group?: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  readonly name: string;
  /** What uses it, e.g. `ExternalDNS (controllers/external-dns)`. */
  readonly consumer: string;
  /** Who provides it and at which step, e.g. `the operator, before the first reconcile`. */
  readonly providedBy: string;
  /** The command that provides it. */
  readonly command: string;
  /**
   * Not a true root: the fleet could deliver it (SealedSecret/ExternalSecret) and will; until then it
   * is declared here, and the README marks it.
   * @default false
   */
  readonly temporary?: boolean;
}

/** How a Secret a construct reads comes to exist (the names of `SecretProvenance` in lib/secrets). */
export enum SecretProvenanceName {
  SEALED = 'sealed',
  EXTERNAL = 'external',
  GENERATED = 'generated',
  EXTERNAL_INPUT = 'external-input',
}

/**
 * A construct's use of a Secret, recorded on its cluster by `SecretReference.use()` and checked by
 * the reconcile model: a `sealed` Secret must come from a SealedSecret of the cluster, an
 * `external` one from an ExternalSecret, an `external-input` one from a declared external input.
 */
export interface SecretUse {
  readonly namespace: string;
  readonly name: string;
  readonly provenance: SecretProvenanceName;
  /** Construct path and purpose, e.g. `fleet/mgmt/controllers/ExternalDns (apiToken)`. */
  readonly consumer: string;
}
