/**
 * Velero from its pinned chart (velero 12.1.0, server v1.18.2) with the kopia node-agent, the
 * provider plugin of its storage target, one `BackupStorageLocation` typed from the Terraform
 * storage constructs (a {@link BackupStorageTarget}), CSI snapshots moved to the bucket for the
 * drivers that have a Velero VolumeSnapshotClass and kopia file-system backup for every other
 * volume, and the `Schedule`s of a {@link BackupPlan} (decision 0072).
 * @see https://velero.io/docs/v1.18/
 */
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { VELERO_CHART } from '../../imports/helm/charts';
import { VeleroValues } from '../../imports/helm/velero';
import { deepMerge } from '../core/_merge';
import { BackupCredentialKind, BackupProvider, BackupStorageTarget } from '../core/backup-storage-target';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { ChartBackedConstruct, IFluxApp } from '../flux/flux-app';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PodSecurityLevel } from '../flux/pod-security';
import { SecretReference } from '../secrets/secret-reference';
import { ALWAYS_EXCLUDED_RESOURCES, BackupContentKind, BackupPlan, renderSchedule } from './backup-schedule';

/** The Velero server image: v1.18.2, newer than the chart's default v1.18.1, same CRDs (velero/NOTES.md). */
export const VELERO_IMAGE = { repository: 'docker.io/velero/velero', tag: 'v1.18.2' } as const;

/**
 * Provider plugin images (init containers copying the plugin into `/target`), plugin minor 1.14
 * for Velero 1.18 (velero/NOTES.md: the plugins' go.mod pins velero v1.18.0). The Azure plugin's
 * only tag verified in the spec pack is v1.14.0-rc.1; decision 0072 says to move it to the GA tag.
 */
export const VELERO_PLUGIN_IMAGES: Readonly<Record<string, string>> = {
  aws: 'docker.io/velero/velero-plugin-for-aws:v1.14.2',
  gcp: 'docker.io/velero/velero-plugin-for-gcp:v1.14.2',
  azure: 'docker.io/velero/velero-plugin-for-microsoft-azure:v1.14.0-rc.1',
};

/** Velero's namespace unless `namespace` says otherwise. */
export const VELERO_NAMESPACE = 'velero';
/** Name of the BackupStorageLocation (`configuration.backupStorageLocation[0].name`). */
export const VELERO_BSL_NAME = 'default';
/** Key of the credentials Secret the chart mounts at `/credentials/cloud`. */
export const VELERO_CREDENTIALS_KEY = 'cloud';
/** `configMaps` key of the volume policy; the chart names the ConfigMap `velero-<key>`. */
const VOLUME_POLICY_KEY = 'volume-policy';
/** The label a VolumeSnapshotClass needs for Velero's CSI snapshots to use it (defined once, in lib/core/storage-names.ts). */
export { VELERO_SNAPSHOT_CLASS_LABEL } from '../core/storage-names';

/** How the credentials Secret (key `cloud`) reaches Velero's namespace (see the static factories). */
export class VeleroCredentials {
  /** A Secret that exists already (a SealedSecret in Velero's namespace, or an external input). */
  public static fromSecret(secret: SecretReference): VeleroCredentials {
    return new VeleroCredentials(() => secret);
  }

  /**
   * A Secret delivered with the release: `deliver` creates it for the Velero app (e.g.
   * `ExternalSecret.forApp(app, ...)` reading the file from the cluster's secret store) and returns
   * its reference; it is then applied in the release folder, before the HelmRelease is Ready.
   */
  public static deliveredBy(deliver: (velero: IFluxApp) => SecretReference): VeleroCredentials {
    return new VeleroCredentials(deliver);
  }

  private constructor(private readonly resolve: (velero: IFluxApp) => SecretReference) {}

  /** @internal */
  public _bind(velero: IFluxApp): SecretReference {
    return this.resolve(velero);
  }
}

export interface VeleroBackupProps extends ReconcileTiming {
  /**
   * The bucket and credential model, exported by the Terraform storage construct that creates the
   * bucket (`VeleroS3Storage.storageTarget`, ...): never hand-copied names.
   */
  readonly target: BackupStorageTarget;
  /**
   * The credentials file, for a target whose credential model is a Secret file (required then,
   * refused with a workload identity).
   * @default - none (workload identity)
   */
  readonly credentials?: VeleroCredentials;
  /**
   * Schedules and retention of the cluster's environment.
   * @default BackupPlan.production()
   */
  readonly plan?: BackupPlan;
  /**
   * CSI drivers whose VolumeSnapshotClass carries the label `velero.io/csi-volumesnapshot-class: "true"`:
   * their volumes are backed up as CSI snapshots with the data moved to the bucket (`EnableCSI`,
   * `snapshotMoveData`). Every other volume gets a kopia file-system backup by the node-agent.
   * @default [] - kopia for every volume
   * @see https://velero.io/docs/v1.18/csi/
   * @see https://velero.io/docs/v1.18/resource-filtering/#resource-policies
   */
  readonly csiSnapshotDrivers?: readonly string[];
  /**
   * More resources no backup carries, beyond the ones never worth restoring (`ALWAYS_EXCLUDED_RESOURCES`);
   * e.g. `MANAGEMENT_EXCLUDED_RESOURCES` on a Cluster API management cluster.
   * @default []
   */
  readonly excludedResources?: readonly string[];
  /**
   * Namespace of the Sealed Secrets controller, whose key Secrets the `sealing-keys` schedule backs up.
   * @default 'kube-system'
   */
  readonly sealingKeyNamespace?: string;
  /**
   * Namespace of Velero.
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * Extra chart values, merged over InfraFlux's. The keys derived from the other props
   * (credentials, schedules, initContainers, configMaps, snapshotsEnabled, backupsEnabled,
   * deployNodeAgent, configuration.backupStorageLocation/volumeSnapshotLocation/defaultBackupStorageLocation)
   * are refused (INFRAFLUX_INVALID_CHART_VALUES).
   * @default {}
   */
  readonly values?: VeleroValues;
}

/** Top-level chart values VeleroBackup derives from its props (refused in `values`). */
const DERIVED_VALUES = ['credentials', 'schedules', 'initContainers', 'configMaps', 'snapshotsEnabled', 'backupsEnabled', 'deployNodeAgent'];

/** Restricted container settings for the server and the plugin init containers (a fresh object per use). */
const restrictedContainer = () => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

/**
 * Velero in its own namespace. Needs: the credentials Secret (key `cloud`) when its target uses a
 * credentials file. Provides: the velero.io CRDs, the BackupStorageLocation `default` and the
 * Schedules `velero-<schedule>` once Ready.
 *
 * The namespace is `privileged`: the node-agent DaemonSet runs as root and mounts the kubelet's
 * pod volumes (`/var/lib/kubelet/pods`) from the host for kopia file-system backups and the data
 * mover (velero/NOTES.md). The server and plugins run restricted.
 *
 * Create it in the configs or apps layer when its credentials come from a ClusterSecretStore (the
 * store is in configs), or in controllers with a workload identity / sealed Secret; not in crds.
 */
export class VeleroBackup extends ChartBackedConstruct<VeleroValues> {
  /** The storage target of the BackupStorageLocation. */
  public readonly target: BackupStorageTarget;
  /** The credentials Secret (undefined with a workload identity). */
  public readonly credentialsSecret?: SecretReference;
  /** Names of the Velero Schedules the chart creates (`velero-<schedule>`). */
  public readonly scheduleNames: readonly string[];
  /** The plan the schedules come from. */
  public readonly plan: BackupPlan;
  /**
   * Resources every backup leaves out: {@link ALWAYS_EXCLUDED_RESOURCES} plus `excludedResources`
   * (a restore leaves out the same, see `VeleroRestore`).
   */
  public readonly excludedResources: readonly string[];

  public constructor(scope: Construct, id: string, props: VeleroBackupProps) {
    super(scope, id);
    const target = props.target.validate(this);
    this.target = target;
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? VELERO_NAMESPACE);
    const sealingKeyNamespace = validateDnsLabel(this, 'sealingKeyNamespace', props.sealingKeyNamespace ?? 'kube-system');
    const plan = props.plan ?? BackupPlan.production();
    plan._validate(this);
    this.plan = plan;
    const drivers = [...new Set(props.csiSnapshotDrivers ?? [])];
    for (const d of drivers) validateDnsSubdomain(this, 'csiSnapshotDrivers entry', d);
    const excluded = props.excludedResources ?? [];
    for (const r of excluded) {
      if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(r)) invalidProp(this, `excludedResources entry "${r}" is not a resource name like machines.cluster.x-k8s.io`);
    }
    this.excludedResources = [...new Set([...ALWAYS_EXCLUDED_RESOURCES, ...excluded])];
    // Keys derived from the target, the plan and the credentials: set through the props, not values.
    const user = (props.values ?? {}) as Record<string, unknown>;
    const configuration = (user.configuration ?? {}) as Record<string, unknown>;
    const owned = [
      ...DERIVED_VALUES.filter((k) => k in user),
      ...['backupStorageLocation', 'volumeSnapshotLocation', 'defaultBackupStorageLocation'].filter((k) => k in configuration).map((k) => `configuration.${k}`),
    ];
    if (owned.length > 0) {
      throw new InfraFluxError(ErrorCode.INVALID_CHART_VALUES, this, `values key(s) ${owned.join(', ')} are derived by VeleroBackup from target, credentials, plan and csiSnapshotDrivers; use those props instead`);
    }
    const plugin = VELERO_PLUGIN_IMAGES[target.provider.value];
    if (plugin === undefined) invalidProp(this, `target provider "${target.provider.value}" has no pinned plugin; use ${Object.keys(VELERO_PLUGIN_IMAGES).join(', ')}`);
    const workloadIdentity = target.credentials.kind === BackupCredentialKind.WORKLOAD_IDENTITY;
    if (workloadIdentity && props.credentials) {
      throw new InfraFluxError(
        ErrorCode.BACKUP_CREDENTIALS_MISMATCH,
        this,
        `credentials are given, but target ${target.provider.value}/${target.bucket} authenticates with a workload identity (${Object.keys(target.credentials.serviceAccountAnnotations).join(', ')}); drop credentials or export the target with a credentials file`,
      );
    }
    if (!workloadIdentity && !props.credentials) {
      throw new InfraFluxError(
        ErrorCode.BACKUP_CREDENTIALS_MISMATCH,
        this,
        `target ${target.provider.value}/${target.bucket} needs a credentials file (Terraform output ${target.credentials.terraformOutput}), but no credentials are given; deliver it with VeleroCredentials.deliveredBy(...) or VeleroCredentials.fromSecret(...)`,
      );
    }

    const volumePolicy = drivers.length > 0 ? `velero-${VOLUME_POLICY_KEY}` : undefined;
    const schedules = plan.schedules.map((s) =>
      renderSchedule(this, s, { storageLocation: VELERO_BSL_NAME, excludedResources: excluded, sealingKeyNamespace, volumePolicyConfigMap: volumePolicy }),
    );
    this.scheduleNames = schedules.map((s) => `velero-${s.name}`);
    const moveData = plan.schedules.some((s) => s.props.content.kind === BackupContentKind.EVERYTHING) && drivers.length > 0;

    const values: VeleroValues = {
      image: { ...VELERO_IMAGE },
      // Flux installs and upgrades the chart's crds/ (install/upgrade crds: CreateReplace): no upgrade Job.
      upgradeCRDs: false,
      cleanUpCRDs: false,
      initContainers: [
        {
          name: `velero-plugin-for-${target.provider === BackupProvider.AZURE ? 'microsoft-azure' : target.provider.value}`,
          image: plugin,
          imagePullPolicy: 'IfNotPresent',
          securityContext: restrictedContainer(),
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        },
      ],
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: restrictedContainer(),
      metrics: { enabled: true, serviceMonitor: { enabled: false }, nodeAgentPodMonitor: { enabled: false } },
      configuration: {
        backupStorageLocation: [
          {
            name: VELERO_BSL_NAME,
            provider: target.provider.value,
            bucket: target.bucket,
            ...(target.prefix ? { prefix: target.prefix } : {}),
            default: true,
            accessMode: 'ReadWrite',
            config: { ...target.config },
          },
        ],
        // CSI snapshots need no VolumeSnapshotLocation; the native snapshotters stay off (snapshotsEnabled).
        volumeSnapshotLocation: [],
        uploaderType: 'kopia',
        defaultBackupStorageLocation: VELERO_BSL_NAME,
        ...(drivers.length > 0 ? { features: 'EnableCSI' } : {}),
        ...(moveData ? { defaultSnapshotMoveData: true } : {}),
      },
      credentials: workloadIdentity ? { useSecret: false } : { useSecret: true },
      serviceAccount: { server: { create: true, ...(workloadIdentity ? { annotations: { ...target.credentials.serviceAccountAnnotations } } : {}) } },
      backupsEnabled: true,
      snapshotsEnabled: false,
      deployNodeAgent: true,
      schedules: Object.fromEntries(
        schedules.map((s) => [s.name, { disabled: false, schedule: s.cron, useOwnerReferencesInBackup: false, template: s.template }]),
      ),
      ...(volumePolicy
        ? {
            configMaps: {
              [VOLUME_POLICY_KEY]: {
                data: {
                  'policy.yaml': stringify({ version: 'v1', volumePolicies: drivers.map((driver) => ({ conditions: { csi: { driver } }, action: { type: 'snapshot' } })) }),
                },
              },
            },
          }
        : {}),
    };

    this.createApp({
      ...props,
      chart: VELERO_CHART,
      name: 'velero',
      namespace,
      // The node-agent runs as root with hostPath mounts of the kubelet's pod volumes.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      values: deepMerge(values, props.values),
    });
    if (this.app.layer.layerName === LayerName.CRDS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'VeleroBackup must be created in the controllers, configs or apps layer, not "crds"');
    }
    if (props.credentials) {
      const secret = props.credentials._bind(this).use(this, 'credentials', namespace);
      secret.key(VELERO_CREDENTIALS_KEY);
      this.credentialsSecret = secret;
      this.app.addValues({ credentials: { useSecret: true, existingSecret: secret.name } });
    }
  }
}
