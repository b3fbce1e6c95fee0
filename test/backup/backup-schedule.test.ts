import { Duration } from 'cdk8s';
import {
  ALWAYS_EXCLUDED_RESOURCES,
  BackupContent,
  BackupPlan,
  BackupSchedule,
  MANAGEMENT_EXCLUDED_RESOURCES,
  renderSchedule,
  SEALED_SECRETS_KEY_LABEL,
} from '../../lib/backup/backup-schedule';
import { CronSchedule } from '../../lib/backup/cron-schedule';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

const CTX = { storageLocation: 'default', excludedResources: [], sealingKeyNamespace: 'kube-system', volumePolicyConfigMap: 'velero-volume-policy' };

describe('BackupPlan', () => {
  test('production: hourly (48h), daily (30d), sealing keys (90d)', () => {
    // GIVEN the production plan WHEN its schedules are read THEN names, crons and retention are the documented ones
    const plan = BackupPlan.production();
    expect(plan.schedules.map((s) => [s.name, s.props.schedule.expression, s.props.retention.toHours(), s.props.content.kind])).toEqual([
      ['hourly', '5 * * * *', 48, 'resources-only'],
      ['daily', '0 2 * * *', 720, 'everything'],
      ['sealing-keys', '0 1 * * *', 2160, 'sealing-keys'],
    ]);
  });

  test('development: daily (7d), sealing keys (30d)', () => {
    const plan = BackupPlan.development();
    expect(plan.schedules.map((s) => [s.name, s.props.schedule.expression, s.props.retention.toHours()])).toEqual([
      ['daily', '0 3 * * *', 168],
      ['sealing-keys', '0 1 * * *', 720],
    ]);
  });

  test('fails with two schedules of one name', () => {
    const { cluster } = testCluster();
    const s = new BackupSchedule({ name: 'daily', schedule: CronSchedule.daily(1), retention: Duration.days(1), content: BackupContent.everything() });
    expect(thrownBy(() => BackupPlan.of('x', [s, s])._validate(cluster)).code).toBe(ErrorCode.DUPLICATE);
  });

  test('fails with no schedule', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => BackupPlan.of('x', [])._validate(cluster)).code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('renderSchedule', () => {
  test('everything: all namespaces, cluster-scoped objects, kopia by default, CSI snapshots by policy, exclusions', () => {
    // GIVEN a management cluster context
    const { cluster } = testCluster();
    const s = new BackupSchedule({ name: 'daily', schedule: CronSchedule.daily(2), retention: Duration.days(30), content: BackupContent.everything() });
    // WHEN it is rendered
    const r = renderSchedule(cluster, s, { ...CTX, excludedResources: MANAGEMENT_EXCLUDED_RESOURCES });
    // THEN
    expect(r.cron).toBe('0 2 * * *');
    expect(r.template).toMatchObject({ includedNamespaces: ['*'], includeClusterResources: true, ttl: '720h', storageLocation: 'default', snapshotMoveData: true, defaultVolumesToFsBackup: true });
    expect(r.template.excludedResources).toEqual([...ALWAYS_EXCLUDED_RESOURCES, ...MANAGEMENT_EXCLUDED_RESOURCES]);
    expect(r.template.resourcePolicy).toEqual({ kind: 'configmap', name: 'velero-volume-policy' });
  });

  test('sealing keys: only the labelled Secrets of the controller namespace', () => {
    const { cluster } = testCluster();
    const s = new BackupSchedule({ name: 'keys', schedule: CronSchedule.daily(1), retention: Duration.days(90), content: BackupContent.sealingKeys() });
    const r = renderSchedule(cluster, s, { ...CTX, sealingKeyNamespace: 'sealed-secrets' });
    expect(r.template).toEqual({
      storageLocation: 'default',
      ttl: '2160h',
      includedNamespaces: ['sealed-secrets'],
      includedResources: ['secrets'],
      includeClusterResources: false,
      labelSelector: { matchExpressions: [{ key: SEALED_SECRETS_KEY_LABEL, operator: 'Exists' }] },
      snapshotVolumes: false,
      defaultVolumesToFsBackup: false,
    });
  });

  test('fails with a retention under one hour or over ten years', () => {
    const { cluster } = testCluster();
    for (const retention of [Duration.minutes(30), Duration.days(3700)]) {
      const s = new BackupSchedule({ name: 'x', schedule: CronSchedule.daily(1), retention, content: BackupContent.resourcesOnly() });
      expect(thrownBy(() => renderSchedule(cluster, s, CTX)).code).toBe(ErrorCode.INVALID_DURATION);
    }
  });

  test('fails with a schedule name that is not a DNS label', () => {
    const { cluster } = testCluster();
    const s = new BackupSchedule({ name: 'Daily_1', schedule: CronSchedule.daily(1), retention: Duration.days(1), content: BackupContent.resourcesOnly() });
    expect(thrownBy(() => renderSchedule(cluster, s, CTX)).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails with an invalid cron expression', () => {
    const { cluster } = testCluster();
    const s = new BackupSchedule({ name: 'x', schedule: CronSchedule.expression('0 25 * * *'), retention: Duration.days(1), content: BackupContent.resourcesOnly() });
    const e = thrownBy(() => renderSchedule(cluster, s, CTX));
    expect(e.code).toBe(ErrorCode.INVALID_CRON);
    expect(e.message).toMatch(/schedule x "0 25 \* \* \*" hour field "25"/);
  });
});
