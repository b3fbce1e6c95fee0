/**
 * A typed Velero restore (decision 0075): the `velero.io/v1` Restore that
 * docs/runbooks/disaster-recovery.md otherwise asks for with `velero restore create`, from a named
 * backup or the latest backup of one of the plan's schedules, leaving out what the backups leave
 * out, with an explicit policy for objects that already exist.
 * @see https://velero.io/docs/v1.18/api-types/restore/
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Restore } from '../../imports/velero-velero.io';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { VeleroBackup } from './velero-backup';

/** What a restore does with an object that already exists in the cluster. */
export class ExistingResourcePolicy {
  /** Leave it as it is and report a warning (Velero's default). */
  public static readonly NONE = new ExistingResourcePolicy('none');
  /** Patch it to the backed-up state (labels, annotations, spec); what cannot be patched is reported. */
  public static readonly UPDATE = new ExistingResourcePolicy('update');
  private constructor(public readonly value: string) {}
}

/** Where a restore reads from (see the static factories). */
export class RestoreSource {
  /** A backup by name (`velero backup get`), e.g. `velero-daily-20260101020000`. */
  public static backup(name: string): RestoreSource {
    return new RestoreSource(name, undefined);
  }

  /** The latest completed backup of the plan's schedule `schedule` (its plan name, e.g. `daily`). */
  public static latestOfSchedule(schedule: string): RestoreSource {
    return new RestoreSource(undefined, schedule);
  }

  private constructor(
    public readonly backupName: string | undefined,
    public readonly scheduleName: string | undefined,
  ) {}
}

export interface VeleroRestoreProps {
  /** The Velero the restore runs in: its namespace, plan and exclusions. */
  readonly velero: VeleroBackup;
  /** A named backup or the latest of a schedule. */
  readonly from: RestoreSource;
  /**
   * Name of the Restore object.
   * @default - the construct id in lowercase
   */
  readonly name?: string;
  /**
   * Namespaces restored.
   * @default ['*']
   */
  readonly includedNamespaces?: readonly string[];
  /**
   * Restore namespace `key` of the backup into namespace `value` (a copy next to the original).
   * @default {}
   */
  readonly namespaceMapping?: Readonly<Record<string, string>>;
  /**
   * What to do with objects that exist already.
   * @default ExistingResourcePolicy.NONE
   */
  readonly existingResourcePolicy?: ExistingResourcePolicy;
  /**
   * Restore persistent volumes (from kopia or the moved CSI snapshot data).
   * @default true
   */
  readonly restoreVolumes?: boolean;
}

/**
 * A `velero.io/v1` Restore in Velero's namespace, applied after Velero is Ready. It leaves out the
 * resources the backups leave out ({@link VeleroBackup.excludedResources}: node-bound, runtime and
 * Velero's own objects, plus the cluster's exclusions), so a restore never brings back what must
 * not be restored blindly. Primary object: the Restore.
 */
export class VeleroRestore extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: VeleroRestoreProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(this, 'name', props.name ?? id.toLowerCase());
    const { backupName, scheduleName } = props.from;
    if ((backupName === undefined) === (scheduleName === undefined)) {
      throw new InfraFluxError(ErrorCode.BACKUP_RESTORE_SOURCE, this, 'needs exactly one source: RestoreSource.backup(name) or RestoreSource.latestOfSchedule(schedule)');
    }
    let schedule: string | undefined;
    if (scheduleName !== undefined) {
      const names = props.velero.plan.schedules.map((s) => s.name);
      if (!names.includes(scheduleName)) {
        throw new InfraFluxError(ErrorCode.BACKUP_RESTORE_SOURCE, this, `schedule "${scheduleName}" is not in backup plan ${props.velero.plan.name}; use one of ${names.join(', ')}`);
      }
      // The chart names each Schedule `<fullname>-<key>` (VeleroBackup.scheduleNames).
      schedule = props.velero.scheduleNames[names.indexOf(scheduleName)];
    } else {
      validateDnsSubdomain(this, 'backup name', backupName!);
    }
    const mapping = props.namespaceMapping ?? {};
    for (const [from, to] of Object.entries(mapping)) {
      validateDnsLabel(this, 'namespaceMapping key', from);
      validateDnsLabel(this, 'namespaceMapping value', to);
    }
    const included = props.includedNamespaces ?? ['*'];
    if (included.length === 0) invalidProp(this, 'includedNamespaces is empty; give ["*"] for every namespace');
    for (const ns of included) if (ns !== '*') validateDnsLabel(this, 'includedNamespaces entry', ns);
    if (GitOpsCluster.of(this).name !== GitOpsCluster.of(props.velero).name) invalidProp(this, `restores with the Velero of another cluster (${props.velero.node.path}); create it on that cluster`);
    this.resource = new Restore(this, 'Resource', {
      metadata: { name: this.name, namespace: props.velero.namespace },
      spec: {
        ...(schedule ? { scheduleName: schedule } : { backupName }),
        includedNamespaces: [...included],
        excludedResources: [...props.velero.excludedResources],
        includeClusterResources: true,
        restorePVs: props.restoreVolumes ?? true,
        existingResourcePolicy: (props.existingResourcePolicy ?? ExistingResourcePolicy.NONE).value,
        ...(Object.keys(mapping).length > 0 ? { namespaceMapping: { ...mapping } } : {}),
      },
    });
    this.node.defaultChild = this.resource;
    GitOpsCluster.of(this).addDependency(this, props.velero);
  }
}
