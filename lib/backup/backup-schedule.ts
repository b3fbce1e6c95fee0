/**
 * What a cluster backs up, how often and for how long: {@link BackupSchedule}s grouped into a
 * {@link BackupPlan} per environment, rendered by `VeleroBackup` into Velero `Schedule`s (the
 * chart's `schedules` value). Also the resources no backup carries, because restoring them
 * blindly breaks a cluster (decision 0072, docs/runbooks/disaster-recovery.md).
 * @see https://velero.io/docs/v1.18/backup-reference/#schedule-a-backup
 * @see https://velero.io/docs/v1.18/resource-filtering/
 */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { ScheduleSpecTemplate } from '../../imports/velero-velero.io';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { CronSchedule } from './cron-schedule';

/**
 * Resources no schedule backs up, on every cluster:
 * - the resources Velero never restores (nodes, events, CSI node state, Velero's own bookkeeping:
 *   https://velero.io/docs/v1.18/restore-reference/#resources-that-are-never-restored — backing them
 *   up only costs space);
 * - leader-election Leases (a restored Lease names a holder that no longer exists);
 * - Cilium's per-node and per-endpoint state, which the agents and the operator rebuild from the
 *   running pods: a restored CiliumIdentity/CiliumEndpoint/CiliumNode carries numeric identities,
 *   addresses and node names of the old cluster and collides with what the new agents allocate
 *   (https://docs.cilium.io/en/stable/network/concepts/security/identity/ — identities are
 *   allocated from labels by the agents; CiliumEndpoint and CiliumNode are written by each agent,
 *   https://docs.cilium.io/en/stable/network/kubernetes/ciliumendpoint/).
 */
export const ALWAYS_EXCLUDED_RESOURCES: readonly string[] = [
  'nodes',
  'events',
  'events.events.k8s.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'leases.coordination.k8s.io',
  'backups.velero.io',
  'restores.velero.io',
  'backuprepositories.velero.io',
  'podvolumebackups.velero.io',
  'podvolumerestores.velero.io',
  'datauploads.velero.io',
  'datadownloads.velero.io',
  'ciliumidentities.cilium.io',
  'ciliumendpoints.cilium.io',
  'ciliumendpointslices.cilium.io',
  'ciliumnodes.cilium.io',
];

/**
 * Cluster API objects a management cluster's backup leaves out: the Machines and everything their
 * controllers create per Machine (MachineSets, infrastructure machines, bootstrap configs, IP
 * claims). Restored blindly, with new UIDs and lost owner references, they make the controllers
 * provision duplicate machines or delete live ones; Cluster API's own way to move them is
 * `clusterctl move` (which pauses the clusters first), and the declared objects (Clusters,
 * MachineDeployments, control planes, templates) come back from Git through Flux.
 * @see https://cluster-api.sigs.k8s.io/clusterctl/commands/move
 * @see https://cluster-api.sigs.k8s.io/tasks/experimental-features/cluster-class/ (templates are declared)
 */
export const MANAGEMENT_EXCLUDED_RESOURCES: readonly string[] = [
  'machines.cluster.x-k8s.io',
  'machinesets.cluster.x-k8s.io',
  'machinepools.cluster.x-k8s.io',
  'talosconfigs.bootstrap.cluster.x-k8s.io',
  'rke2configs.bootstrap.cluster.x-k8s.io',
  'awsmachines.infrastructure.cluster.x-k8s.io',
  'azuremachines.infrastructure.cluster.x-k8s.io',
  'gcpmachines.infrastructure.cluster.x-k8s.io',
  'proxmoxmachines.infrastructure.cluster.x-k8s.io',
  'metal3machines.infrastructure.cluster.x-k8s.io',
  'metal3datas.infrastructure.cluster.x-k8s.io',
  'metal3dataclaims.infrastructure.cluster.x-k8s.io',
  'ipaddressclaims.ipam.cluster.x-k8s.io',
  'ipaddresses.ipam.cluster.x-k8s.io',
];

/** The label of the Sealed Secrets controller's key Secrets (active and rotated keys). */
export const SEALED_SECRETS_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';

/** What one schedule's backups contain (see the static factories). */
export enum BackupContentKind {
  EVERYTHING = 'everything',
  RESOURCES_ONLY = 'resources-only',
  SEALING_KEYS = 'sealing-keys',
}

/** What a schedule's backups contain. */
export class BackupContent {
  /**
   * All namespaces, the cluster-scoped objects, and the volumes' data: CSI snapshots moved to the
   * bucket (data mover) for the drivers with a Velero snapshot class, kopia file-system backup for
   * every other volume. The restorable unit for a new cluster or region.
   */
  public static everything(): BackupContent {
    return new BackupContent(BackupContentKind.EVERYTHING);
  }

  /** All namespaces and cluster-scoped objects, no volume data: cheap enough to run hourly. */
  public static resourcesOnly(): BackupContent {
    return new BackupContent(BackupContentKind.RESOURCES_ONLY);
  }

  /**
   * Only the Sealed Secrets controller's key Secrets (label {@link SEALED_SECRETS_KEY_LABEL}):
   * restored first on a new cluster, so the committed SealedSecrets decrypt there.
   * @see https://github.com/bitnami-labs/sealed-secrets#how-can-i-do-a-backup-of-my-sealedsecrets
   */
  public static sealingKeys(): BackupContent {
    return new BackupContent(BackupContentKind.SEALING_KEYS);
  }

  private constructor(public readonly kind: BackupContentKind) {}
}

/** One Velero Schedule. */
export interface BackupScheduleProps {
  /** Schedule name (a DNS label); the Schedule is `velero-<name>`. */
  readonly name: string;
  /** When backups start (UTC). */
  readonly schedule: CronSchedule;
  /** How long each backup is kept (`spec.template.ttl`); Velero deletes it afterwards. */
  readonly retention: Duration;
  /** What the backups contain. */
  readonly content: BackupContent;
}

/** One schedule of a {@link BackupPlan}. */
export class BackupSchedule {
  public constructor(public readonly props: BackupScheduleProps) {}

  public get name(): string {
    return this.props.name;
  }
}

/** What {@link BackupSchedule._renderTemplate} needs from the cluster it runs on. */
export interface BackupTemplateContext {
  /** The BackupStorageLocation the backups go to. */
  readonly storageLocation: string;
  /** Extra resources to exclude (e.g. {@link MANAGEMENT_EXCLUDED_RESOURCES}). */
  readonly excludedResources: readonly string[];
  /** Namespace of the Sealed Secrets controller's keys. */
  readonly sealingKeyNamespace: string;
  /** Name of the volume policy ConfigMap (the chart-made `velero-<name>`), for {@link BackupContent.everything}. */
  readonly volumePolicyConfigMap?: string;
}

/** Longest retention a schedule may have (10 years): a typo of units should not keep data forever. */
const MAX_RETENTION_HOURS = 24 * 3660;

/** @internal Renders and checks one schedule (`scope` names the construct in errors). */
export function renderSchedule(scope: IConstruct, schedule: BackupSchedule, ctx: BackupTemplateContext): { name: string; cron: string; template: ScheduleSpecTemplate } {
  const { name, retention, content } = schedule.props;
  validateDnsLabel(scope, 'schedule name', name);
  const cron = schedule.props.schedule.render(scope, `schedule ${name}`);
  const ttl = goDuration(retention, scope);
  const hours = retention.toHours({ integral: false });
  if (hours < 1 || hours > MAX_RETENTION_HOURS) {
    throw new InfraFluxError(ErrorCode.INVALID_DURATION, scope, `schedule ${name} retention ${ttl} is out of range; keep backups from 1 hour to ${MAX_RETENTION_HOURS} hours (10 years)`);
  }
  const base = { storageLocation: ctx.storageLocation, ttl };
  const excludedResources = [...new Set([...ALWAYS_EXCLUDED_RESOURCES, ...ctx.excludedResources])];
  switch (content.kind) {
    case BackupContentKind.SEALING_KEYS:
      return {
        name,
        cron,
        template: {
          ...base,
          includedNamespaces: [ctx.sealingKeyNamespace],
          includedResources: ['secrets'],
          includeClusterResources: false,
          labelSelector: { matchExpressions: [{ key: SEALED_SECRETS_KEY_LABEL, operator: 'Exists' }] },
          snapshotVolumes: false,
          defaultVolumesToFsBackup: false,
        },
      };
    case BackupContentKind.RESOURCES_ONLY:
      return {
        name,
        cron,
        template: { ...base, includedNamespaces: ['*'], includeClusterResources: true, excludedResources, snapshotVolumes: false, defaultVolumesToFsBackup: false },
      };
    case BackupContentKind.EVERYTHING:
      return {
        name,
        cron,
        template: {
          ...base,
          includedNamespaces: ['*'],
          includeClusterResources: true,
          excludedResources,
          // Volumes: kopia for all by default; the volume policy switches the drivers with a Velero
          // VolumeSnapshotClass to CSI snapshots, whose data the data mover copies to the bucket
          // (a snapshot alone stays in the old region/provider).
          defaultVolumesToFsBackup: true,
          snapshotVolumes: true,
          snapshotMoveData: true,
          ...(ctx.volumePolicyConfigMap ? { resourcePolicy: { kind: 'configmap', name: ctx.volumePolicyConfigMap } } : {}),
        },
      };
    default:
      return invalidProp(scope, `schedule ${name} has an unknown content kind`);
  }
}

/** Schedules of one environment. */
export class BackupPlan {
  /**
   * Production: API objects hourly (kept 48 hours), everything daily at 02:00 UTC (kept 30 days),
   * the sealing keys daily at 01:00 UTC (kept 90 days). RPO: 1 hour for objects, 24 hours for volumes.
   */
  public static production(): BackupPlan {
    return new BackupPlan('production', [
      new BackupSchedule({ name: 'hourly', schedule: CronSchedule.hourly(5), retention: Duration.hours(48), content: BackupContent.resourcesOnly() }),
      new BackupSchedule({ name: 'daily', schedule: CronSchedule.daily(2), retention: Duration.days(30), content: BackupContent.everything() }),
      new BackupSchedule({ name: 'sealing-keys', schedule: CronSchedule.daily(1), retention: Duration.days(90), content: BackupContent.sealingKeys() }),
    ]);
  }

  /**
   * Development: everything daily at 03:00 UTC (kept 7 days), the sealing keys daily at 01:00 UTC
   * (kept 30 days). RPO: 24 hours.
   */
  public static development(): BackupPlan {
    return new BackupPlan('development', [
      new BackupSchedule({ name: 'daily', schedule: CronSchedule.daily(3), retention: Duration.days(7), content: BackupContent.everything() }),
      new BackupSchedule({ name: 'sealing-keys', schedule: CronSchedule.daily(1), retention: Duration.days(30), content: BackupContent.sealingKeys() }),
    ]);
  }

  /** Schedules of your own (at least one; names unique). */
  public static of(name: string, schedules: readonly BackupSchedule[]): BackupPlan {
    return new BackupPlan(name, schedules);
  }

  private constructor(
    /** Environment name, for messages and docs. */
    public readonly name: string,
    public readonly schedules: readonly BackupSchedule[],
  ) {}

  /** @internal Checks the plan as a whole for `scope`. */
  public _validate(scope: IConstruct): void {
    if (this.schedules.length === 0) invalidProp(scope, `backup plan ${this.name} has no schedule; give at least one`);
    const seen = new Set<string>();
    for (const s of this.schedules) {
      if (seen.has(s.name)) throw new InfraFluxError(ErrorCode.DUPLICATE, scope, `backup plan ${this.name} has two schedules named "${s.name}"`);
      seen.add(s.name);
    }
  }
}
