import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';
import type { ICertManager } from '../certs/cert-manager';
import { appNamespace } from '../flux/_app-namespace';
import { FluxLayer, GitOpsCluster, IFluxUnit } from '../flux/gitops-cluster';
import { FluxKustomization, ReconcileTiming } from '../flux/kustomization';
import { UpstreamGitRelease } from '../flux/upstream-release';
import { PodSecurityLevel } from '../flux/pod-security';
import { VersionSet } from '../versions/version-set';

/** Namespace upstream's `config/base` puts the operator in (its `namespace:` field). */
export const BAREMETAL_OPERATOR_NAMESPACE = 'baremetal-operator-system';

/**
 * The CRDs of baremetal-operator v0.12.6 (`config/base/crds/bases/`, the files pinned in
 * upstream.lock.json). The Kustomization health-checks each one.
 */
export const BAREMETAL_OPERATOR_CRDS: readonly string[] = [
  'baremetalhosts.metal3.io',
  'bmceventsubscriptions.metal3.io',
  'dataimages.metal3.io',
  'firmwareschemas.metal3.io',
  'hardwaredata.metal3.io',
  'hostfirmwarecomponents.metal3.io',
  'hostfirmwaresettings.metal3.io',
  'hostupdatepolicies.metal3.io',
  'preprovisioningimages.metal3.io',
];

/** The operator image; upstream's manager.yaml names it without a tag, so the Kustomization pins it. */
const IMAGE = 'quay.io/metal3-io/baremetal-operator';

const SYMBOL = Symbol.for('infraflux.management.BaremetalOperator');

/** Props of {@link BaremetalOperator}. */
export interface BaremetalOperatorProps extends ReconcileTiming {
  /**
   * cert-manager of this cluster: upstream's `config/base` serves the BareMetalHost webhook with a
   * cert-manager Issuer and Certificate.
   * @see https://github.com/metal3-io/baremetal-operator/tree/v0.12.6/config/base
   */
  readonly certManager: ICertManager;
  /**
   * The release installed (`versions.baremetalOperator`).
   * @default VersionSet.pinned()
   */
  readonly versions?: VersionSet;
}

/**
 * Metal3's Baremetal Operator (BMO) on the management cluster: the owner of the `BareMetalHost`
 * CRD and friends that CAPM3 needs. It is not a clusterctl provider (capi-core/COMPATIBILITY.md §6:
 * "Install it with kustomize"), so Flux installs it straight from the pinned upstream release:
 *
 * - a GitRepository `baremetal-operator` on metal3-io/baremetal-operator at `versions.baremetalOperator`
 *   (only `config/` is fetched);
 * - a Kustomization `baremetal-operator` on `./config/base` (CRDs, RBAC, manager, webhook,
 *   cert-manager Issuer/Certificate), the operator image pinned to the same tag, never pruned
 *   (deleting the CRDs would delete every BareMetalHost), health-checked on every CRD and the
 *   controller Deployment;
 * - the Namespace `baremetal-operator-system` (upstream's `config/default` adds it; `config/base` does not).
 *
 * Ironic is NOT installed: the manager reads its endpoint from the ConfigMap `ironic` in
 * `baremetal-operator-system` (`IRONIC_ENDPOINT`, `DEPLOY_KERNEL_URL`, `DEPLOY_RAMDISK_URL`), which
 * the operator of the site provides together with Ironic (docs/architecture.md "Known gaps"). Until
 * then the Deployment does not become Ready and this Kustomization reports it.
 *
 * A `TalosCluster` on Metal3 in the same cluster waits for it.
 *
 * @see https://book.metal3.io/bmo/install_baremetal_operator
 */
export class BaremetalOperator extends Construct implements IFluxUnit {
  /** Whether `x` is a BaremetalOperator (works across copies of the library). */
  public static isBaremetalOperator(x: unknown): x is BaremetalOperator {
    return typeof x === 'object' && x !== null && SYMBOL in x;
  }

  public readonly layer: FluxLayer;
  public readonly kustomization: FluxKustomization;
  /** The GitRepository (escape hatch). */
  public readonly source: ApiObject;
  public readonly version: string;

  public constructor(scope: FluxLayer, id: string, props: BaremetalOperatorProps) {
    super(scope, id);
    Object.defineProperty(this, SYMBOL, { value: true });
    if (!(scope instanceof FluxLayer)) invalidProp(this, 'a BaremetalOperator must be created directly in a FluxLayer (e.g. cluster.configs)');
    this.layer = scope;
    const versions = props.versions ?? VersionSet.pinned();
    versions.validate(this);
    this.version = versions.baremetalOperator;

    appNamespace(this, BAREMETAL_OPERATOR_NAMESPACE, PodSecurityLevel.BASELINE);
    const release = new UpstreamGitRelease(this, 'Release', {
      ...props,
      sourceName: 'baremetal-operator',
      url: 'https://github.com/metal3-io/baremetal-operator',
      tag: this.version,
      path: './config/base',
      kustomizationName: 'baremetal-operator',
      timeout: props.timeout ?? Duration.minutes(10),
      crdNames: BAREMETAL_OPERATOR_CRDS,
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'baremetal-operator-controller-manager', namespace: BAREMETAL_OPERATOR_NAMESPACE }],
      // upstream's manager.yaml has the image without a tag (= latest): pin it to the release.
      images: [{ name: IMAGE, newTag: this.version }],
    });
    this.source = release.source;
    this.kustomization = release.kustomization;
    GitOpsCluster.of(scope).addDependency(this, props.certManager);
  }
}
