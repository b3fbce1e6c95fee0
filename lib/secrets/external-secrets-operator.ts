import { Construct, IConstruct } from 'constructs';
import { Issuer } from '../../imports/cert-manager-cert-manager.io';
import { EXTERNAL_SECRETS_CHART } from '../../imports/helm/charts';
import { ExternalSecretsValues } from '../../imports/helm/external-secrets';
import { deepMerge } from '../core/_merge';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { ChartBackedConstruct } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { OutputFolder } from '../flux/output-folder';

/**
 * A cert-manager installation: `ICertManager` of lib/certs (`CertManager`, `CertManager.fromNamespace()`),
 * typed by its shape here because lib/secrets sits below lib/certs (docs/architecture.md folder rules).
 */
export interface ICertManagerInstallation extends IConstruct {
  /** Namespace cert-manager runs in. */
  readonly namespace: string;
}

/** An External Secrets Operator that stores, ExternalSecrets and PushSecrets can rely on. */
export interface IExternalSecretsOperator extends IConstruct {
  /** Namespace the operator runs in (where a ClusterSecretStore's auth Secrets/ServiceAccounts live by convention). */
  readonly namespace: string;
  /** Whether the PushSecret reconciler runs (`processPushSecret`). */
  readonly pushSecrets: boolean;
}

export interface ExternalSecretsOperatorProps extends ReconcileTiming {
  /**
   * cert-manager of the cluster. When given, cert-manager issues the webhook's serving certificate
   * (`webhook.certManager.enabled`, from a self-signed Issuer applied with the release) and injects
   * its CA (`addInjectorAnnotations`); the chart's own cert-controller (a Deployment that patches
   * the webhook configurations and CRDs cluster-wide) is not deployed. The operator then waits for
   * cert-manager.
   * @default - the chart's cert-controller creates and rotates the webhook certificate
   * @see https://external-secrets.io/latest/api/components/ (webhook and cert-controller)
   */
  readonly certManager?: ICertManagerInstallation;
  /**
   * Replicas of the controller and of the webhook. More than one runs the controller with leader
   * election (`leaderElect`) and adds a PodDisruptionBudget (`minAvailable: 1`) to both.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Run the PushSecret reconciler (`processPushSecret`). Off unless the cluster pushes secrets.
   * ClusterExternalSecret, ClusterPushSecret and ClusterGenerator reconcilers are always off (the
   * library emits none); their CRDs are still installed so the API is complete.
   * @default false
   */
  readonly pushSecrets?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: ExternalSecretsValues;
}

/** Name of the self-signed Issuer for the webhook certificate (with `certManager`). */
export const ESO_WEBHOOK_ISSUER = 'external-secrets-webhook';

/** Restricted-profile container settings, stated so a chart default change cannot weaken them (a fresh object per use: no YAML anchors in the values). */
const secureContainer = () => ({
  enabled: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

/**
 * The External Secrets Operator from its pinned chart (external-secrets 2.9.0, app v2.9.0,
 * `external-secrets.io/v1`), CRDs rendered by the chart (`installCRDs`, upgraded with the release:
 * external-secrets/NOTES.md), in the namespace `external-secrets`, in the controllers layer.
 * Metrics Services on (ServiceMonitor off until the cluster has a monitoring stack), restricted
 * containers stated explicitly, only the reconcilers the library uses.
 * Provides the ESO CRDs once Ready; stores take it as a prop, which orders them after it.
 * @see https://external-secrets.io/latest/introduction/getting-started/
 */
export class ExternalSecretsOperator extends ChartBackedConstruct<ExternalSecretsValues> implements IExternalSecretsOperator {
  /**
   * An operator this tree does not install (e.g. the platform team's): stores may reference it,
   * and they wait for nothing.
   * @param namespace the namespace it runs in
   * @param pushSecrets whether its PushSecret reconciler runs
   */
  public static fromNamespace(scope: Construct, id: string, namespace = 'external-secrets', pushSecrets = false): IExternalSecretsOperator {
    return new ImportedExternalSecretsOperator(scope, id, namespace, pushSecrets);
  }

  public readonly pushSecrets: boolean;
  /** Controller and webhook replicas. */
  public readonly replicas: number;
  /** The self-signed Issuer of the webhook certificate, when cert-manager issues it. */
  public readonly webhookIssuer?: Issuer;

  /** The chart's ServiceMonitors (`serviceMonitor.enabled`: controller, webhook, cert-controller metrics Services, which are on) when the cluster has a monitoring stack. */
  protected monitoringValues(): ExternalSecretsValues {
    return { serviceMonitor: { enabled: true } };
  }

  public constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps = {}) {
    super(scope, id);
    this.replicas = props.replicas ?? 1;
    this.pushSecrets = props.pushSecrets ?? false;
    if (!Number.isInteger(this.replicas) || this.replicas < 1) {
      invalidProp(this, `replicas ${this.replicas} must be a whole number >= 1`);
    }
    const ha = this.replicas > 1;
    const pdb = () => ({ enabled: ha, minAvailable: 1 });
    const values: ExternalSecretsValues = {
      installCRDs: true,
      replicaCount: this.replicas,
      leaderElect: ha,
      processClusterExternalSecret: false,
      processClusterPushSecret: false,
      processClusterGenerator: false,
      processClusterStore: true,
      processSecretStore: true,
      processPushSecret: this.pushSecrets,
      podDisruptionBudget: pdb(),
      podSecurityContext: { enabled: true },
      securityContext: secureContainer(),
      metrics: { service: { enabled: true } },
      serviceMonitor: { enabled: false },
      webhook: {
        replicaCount: this.replicas,
        podDisruptionBudget: pdb(),
        podSecurityContext: { enabled: true },
        securityContext: secureContainer(),
        metrics: { service: { enabled: true } },
        ...(props.certManager
          ? {
              certManager: {
                enabled: true,
                addInjectorAnnotations: true,
                cert: { create: true, issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: ESO_WEBHOOK_ISSUER } },
              },
            }
          : {}),
      },
      certController: props.certManager
        ? { create: false }
        : { create: true, podSecurityContext: { enabled: true }, securityContext: secureContainer(), metrics: { service: { enabled: true } } },
    };
    this.createApp({
      ...props,
      chart: EXTERNAL_SECRETS_CHART,
      name: 'external-secrets',
      namespace: 'external-secrets',
      values: deepMerge(values, props.values),
    });
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `ExternalSecretsOperator must be created in the controllers layer (cluster.controllers), not "${this.app.layer.layerName}"`);
    }
    if (props.certManager) {
      this.addDependency(props.certManager);
      // Applied with the release (same Kustomization, after cert-manager is Ready): the chart's
      // Certificate names it, and the webhook cannot serve before the certificate exists.
      this.webhookIssuer = new Issuer(OutputFolder.of(this.app.helmRelease!), 'WebhookIssuer', {
        metadata: { name: ESO_WEBHOOK_ISSUER, namespace: this.namespace },
        spec: { selfSigned: {} },
      });
    }
  }
}

class ImportedExternalSecretsOperator extends Construct implements IExternalSecretsOperator {
  /** Read by the dependency resolution: nothing in this tree deploys it. */
  public readonly installedElsewhere = true;

  public constructor(
    scope: Construct,
    id: string,
    public readonly namespace: string,
    public readonly pushSecrets: boolean,
  ) {
    super(scope, id);
    validateDnsLabel(this, 'namespace', namespace);
  }
}

/** @internal Refuses a PushSecret when the operator does not run the PushSecret reconciler. */
export function requirePushSecrets(scope: IConstruct, operator: IExternalSecretsOperator): void {
  if (!operator.pushSecrets) invalidProp(scope, 'the External Secrets Operator does not run the PushSecret reconciler; create it with pushSecrets: true');
}
