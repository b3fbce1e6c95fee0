import { Duration, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SEALED_SECRETS_CHART } from '../../imports/helm/charts';
import { SealedSecretsChartValues } from '../../imports/helm/sealed-secrets';
import { SealedSecret as SealedSecretBinding } from '../../imports/sealed-secrets-bitnami.com';
import { deepMerge } from '../core/_merge';
import { Capability, claimCapability } from '../core/capabilities';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, validateDnsLabel } from '../core/errors';
import type { ExternalInput } from '../core/external-input';
import { ChartBackedConstruct, type PostRenderPatch } from '../flux/flux-app';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { HealthCheckExpr, ReconcileTiming } from '../flux/kustomization';

/** The namespace kubeseal looks in by default (`--controller-namespace`), and InfraFlux's. */
export const SEALED_SECRETS_NAMESPACE = 'kube-system';
/** The Service name kubeseal looks for by default (`--controller-name`): the chart's `fullnameOverride`. */
export const SEALED_SECRETS_CONTROLLER_NAME = 'sealed-secrets-controller';
/**
 * Name of the first sealing key Secret: the chart's `secretName` (the controller's `--key-prefix`).
 * The controller loads it by this name even without the `active` label (upstream
 * `pkg/controller/main.go` `initKeyRegistry`), besides every Secret labelled active.
 */
export const SEALING_KEY_SECRET_NAME = 'sealed-secrets-key';
/** Label the controller selects its decryption keys by (`…=active`). */
export const SEALING_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';

/**
 * Flux health check of a SealedSecret: healthy once the controller reports `Synced: True` (the
 * Secret is written). kstatus alone reports a SealedSecret that failed to decrypt as Current
 * (`Synced: False` is not a condition kstatus reads), so a Kustomization waiting on SealedSecrets
 * needs this expression.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/v0.36.6/pkg/apis/sealedsecrets/v1alpha1/types.go (SealedSecretSynced)
 */
export const SEALED_SECRET_HEALTH_CHECK: HealthCheckExpr = {
  apiVersion: SealedSecretBinding.GVK.apiVersion,
  kind: SealedSecretBinding.GVK.kind,
  current: "has(status.conditions) && status.conditions.exists(e, e.type == 'Synced' && e.status == 'True')",
  failed: "has(status.conditions) && status.conditions.exists(e, e.type == 'Synced' && e.status == 'False')",
};

/** A Sealed Secrets controller SealedSecrets can rely on: installed by this tree, or imported. */
export interface ISealedSecretsController extends IConstruct {
  /** Namespace the controller runs in (and holds its sealing keys in). */
  readonly namespace: string;
  /** Name of the controller's Service (kubeseal `--controller-name`). */
  readonly controllerName: string;
}

export interface SealedSecretsControllerProps extends ReconcileTiming {
  /**
   * Let the controller add a new sealing key every `keyRenewalPeriod`. Off by default: InfraFlux
   * seals offline with the certificate committed in `clusters/<cluster>/sealed-secrets.pem`, which
   * must stay the active key; a controller-made key would make that certificate stale. Rotation is
   * a runbook step instead (docs/runbooks/sealed-secrets.md, decision 0060).
   * @default - renewal off (`keyrenewperiod: "0"`)
   * @see https://github.com/bitnami-labs/sealed-secrets#sealing-key-renewal
   */
  readonly keyRenewalPeriod?: Duration;
  /**
   * The Prometheus Operator CRDs of the cluster. When given, the chart's ServiceMonitor for the
   * controller's metrics endpoint (`:8081`, always on) is rendered and the controller waits for the CRDs.
   * @default - no ServiceMonitor (the metrics Service is still there)
   */
  readonly prometheusOperatorCrds?: IConstruct;
  /**
   * Extra chart values, merged over InfraFlux's. `fullnameOverride`, `namespace`, `secretName` and
   * `keyrenewperiod` follow from the props and may not be set here.
   * @default {}
   */
  readonly values?: SealedSecretsChartValues;
}

const CONTROLLER = Symbol.for('infraflux.sealed-secrets-controller');
const SEALED_SECRETS_CAPABILITY = Capability.of('sealed-secrets-controller');

/**
 * The restricted Pod Security fields the chart has no values for (pinned values.yaml
 * `podSecurityContext`/`containerSecurityContext` list only fsGroup, runAsUser, runAsNonRoot,
 * readOnlyRootFilesystem and capabilities), patched onto the chart's Deployment (templates/deployment.yaml:
 * `sealed-secrets.fullname`, container `controller`) by Flux's post-renderer.
 */
const RESTRICTED_POD_PATCH: PostRenderPatch = {
  target: { group: 'apps', version: 'v1', kind: 'Deployment', name: SEALED_SECRETS_CONTROLLER_NAME },
  patch: Yaml.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: SEALED_SECRETS_CONTROLLER_NAME },
    spec: {
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{ name: 'controller', securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } } }],
        },
      },
    },
  }),
};
const OWNED_VALUES = ['fullnameOverride', 'namespace', 'secretName', 'keyrenewperiod'] as const;

/**
 * The Bitnami Sealed Secrets controller from its pinned chart (2.18.5, app v0.36.6), in the
 * controllers layer, in `kube-system` with the Service `sealed-secrets-controller`: the names
 * kubeseal assumes, so `kubeseal --fetch-cert` works without flags (decision 0061).
 *
 * - Key renewal off by default (the committed certificate stays the active key); the first key is
 *   brought by the operator before the controller starts ({@link declareSealingKeyInput}).
 * - One replica: the chart renders `replicas: 1` and the controller keeps no leader election, so
 *   there is no HA to turn on (decision 0061).
 * - Metrics on (the chart always serves `:8081` with a `-metrics` Service); a ServiceMonitor once
 *   the cluster has the Prometheus Operator CRDs.
 * - Pod and container: non-root, read-only root filesystem, no privilege escalation, all
 *   capabilities dropped, RuntimeDefault seccomp.
 * - The SealedSecret CRD comes from the chart's `crds/` (HelmRelease `install.crds`/`upgrade.crds`
 *   CreateReplace); Helm never deletes it, so an uninstall does not garbage-collect the Secrets.
 * - The service-proxier Role stays, but is not bound to every authenticated user.
 *
 * Needs: nothing. Provides: the kind `bitnami.com/SealedSecret` and a controller that decrypts it
 * once its HelmRelease is Ready; SealedSecrets find it with {@link SealedSecretsController.of}.
 */
export class SealedSecretsController extends ChartBackedConstruct<SealedSecretsChartValues> implements ISealedSecretsController {
  /**
   * A controller this tree does not install (e.g. the platform team's): SealedSecrets may use it,
   * and nothing waits for it (it runs before this cluster's Flux applies anything).
   */
  public static fromNamespace(scope: Construct, id: string, namespace: string = SEALED_SECRETS_NAMESPACE, controllerName: string = SEALED_SECRETS_CONTROLLER_NAME): ISealedSecretsController {
    return new ImportedSealedSecretsController(scope, id, namespace, controllerName);
  }

  /** The controller (installed or imported) in the GitOpsCluster of `scope`, or undefined. */
  public static of(scope: IConstruct): ISealedSecretsController | undefined {
    const root = [scope, ...scope.node.scopes.slice().reverse()].find((s) => s instanceof GitOpsCluster);
    if (!root) return undefined;
    return root.node.findAll().find((c): c is ISealedSecretsController & Construct => CONTROLLER in c);
  }

  /** Name of the controller's Service (`kubeseal --controller-name`). */
  public readonly controllerName: string = SEALED_SECRETS_CONTROLLER_NAME;
  /** Name of the first sealing key Secret, which the operator brings before the controller starts. */
  public readonly sealingKeySecretName: string = SEALING_KEY_SECRET_NAME;
  /** Whether the controller renews its key by itself. */
  public readonly keyRenewal: boolean;

  /** The chart's ServiceMonitor of the `:8081` metrics Service (`metrics.serviceMonitor.enabled`) when the cluster has a monitoring stack. */
  protected monitoringValues(): SealedSecretsChartValues {
    return { metrics: { serviceMonitor: { enabled: true } } };
  }

  public constructor(scope: Construct, id: string, props: SealedSecretsControllerProps = {}) {
    super(scope, id);
    Object.defineProperty(this, CONTROLLER, { value: true });
    for (const key of OWNED_VALUES) {
      if (props.values && props.values[key] !== undefined) {
        throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values.${key} is derived by SealedSecretsController (kubeseal's names, the key Secret, keyRenewalPeriod); remove it from values`);
      }
    }
    this.keyRenewal = props.keyRenewalPeriod !== undefined;
    const renew = props.keyRenewalPeriod ? goDuration(props.keyRenewalPeriod, this) : '0';
    const serviceMonitor = props.prometheusOperatorCrds !== undefined;
    const values: SealedSecretsChartValues = {
      fullnameOverride: SEALED_SECRETS_CONTROLLER_NAME,
      secretName: SEALING_KEY_SECRET_NAME,
      keyrenewperiod: renew,
      // The pinned values.yaml keys; what they lack (seccomp, allowPrivilegeEscalation) is patched below.
      podSecurityContext: { enabled: true, fsGroup: 65534 },
      containerSecurityContext: { enabled: true, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1001, capabilities: { drop: ['ALL'] } },
      // The chart binds the service-proxier Role to system:authenticated by default; offline
      // sealing needs no proxy access, admins keep theirs.
      rbac: { serviceProxier: { create: true, bind: false } },
      metrics: { serviceMonitor: { enabled: serviceMonitor } },
    };
    this.createApp({
      ...props,
      chart: SEALED_SECRETS_CHART,
      name: 'sealed-secrets',
      namespace: SEALED_SECRETS_NAMESPACE,
      // kube-system exists on every cluster and must never be pruned by Flux.
      createNamespace: false,
      values: deepMerge(values, props.values),
      postRenderPatches: [RESTRICTED_POD_PATCH],
    });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(
        ErrorCode.WRONG_LAYER,
        this,
        `must be created in the controllers layer, not "${this.app.layer.layerName}": SealedSecrets of the controllers layer (tokens other controllers read at start) need it Ready before them`,
      );
    }
    if (props.prometheusOperatorCrds) this.addDependency(props.prometheusOperatorCrds);
    // One per cluster: a second would render the same kube-system objects, and SealedSecrets look
    // the controller up by cluster.
    claimCapability(GitOpsCluster.of(this), SEALED_SECRETS_CAPABILITY, this);
  }

  /**
   * Declares the cluster's first sealing key Secret (`kube-system/sealed-secrets-key`, type
   * `kubernetes.io/tls`, label `…/sealed-secrets-key=active`) as an external input: the one true
   * root of every SealedSecret of the cluster, brought by the operator before the controller
   * starts (docs/runbooks/sealed-secrets.md step 3). With key renewal off the reconcile model
   * requires it (lib/reconcile/knowledge.ts, chart sealed-secrets).
   * @param command how the operator provides it
   * @default command - the runbook's `kubectl create secret tls … && kubectl label …`
   */
  public declareSealingKeyInput(command?: string): void {
    const cluster = GitOpsCluster.of(this);
    const input: ExternalInput = {
      kind: 'Secret',
      namespace: this.namespace,
      name: this.sealingKeySecretName,
      consumer: `Sealed Secrets controller (releases/${this.name}): decrypts every SealedSecret of ${cluster.name} sealed with clusters/${cluster.name}/sealed-secrets.pem`,
      providedBy: `the operator, from the offline backup of the cluster's sealing key pair, before Flux installs the controller (docs/runbooks/sealed-secrets.md, steps 1-3)`,
      command:
        command ??
        `kubectl -n ${this.namespace} create secret tls ${this.sealingKeySecretName} --cert=${this.sealingKeySecretName}.crt --key=${this.sealingKeySecretName}.key && kubectl -n ${this.namespace} label secret ${this.sealingKeySecretName} ${SEALING_KEY_LABEL}=active`,
    };
    cluster.declareExternalInput(input);
  }
}

class ImportedSealedSecretsController extends Construct implements ISealedSecretsController {
  /** Read by the dependency resolution: nothing in this tree deploys it. */
  public readonly installedElsewhere = true;

  public constructor(
    scope: Construct,
    id: string,
    public readonly namespace: string,
    public readonly controllerName: string,
  ) {
    super(scope, id);
    Object.defineProperty(this, CONTROLLER, { value: true });
    validateDnsLabel(this, 'namespace', namespace);
    validateDnsLabel(this, 'controllerName', controllerName);
  }
}

/** @internal The error when a SealedSecret or group in a GitOpsCluster finds no controller. */
export function missingController(scope: IConstruct): InfraFluxError {
  const cluster = GitOpsCluster.of(scope);
  return new InfraFluxError(
    ErrorCode.MISSING_DEPENDENCY,
    scope,
    `cluster "${cluster.name}" has no Sealed Secrets controller to decrypt it; create a SealedSecretsController in ${cluster.name}.controllers first, or pass controller: SealedSecretsController.fromNamespace(...) for one installed elsewhere`,
  );
}
