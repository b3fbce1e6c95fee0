import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, JsonPatch } from 'cdk8s';
import { declaredOwners, InfraFluxError } from '../../../lib';
import { BackupPlan } from '../../../lib/backup/backup-schedule';
import { CronSchedule } from '../../../lib/backup/cron-schedule';
import { AlertFamily, AlertRuleGroup, AlertSeverity, cronPeriodSeconds, PlatformAlerts, promqlProblems, templateProblems } from '../../../lib/monitoring/alerts';
import { manifest, testCluster } from '../../support/fleet';
import { monitoredCluster } from './_support';
import { BAD_RULES } from './fixtures/bad-rules';

/** VeleroSchedules of a plan, as VeleroBackup exposes them. */
const veleroOf = (plan: BackupPlan) => ({ scheduleNames: plan.schedules.map((s) => `velero-${s.name}`), plan });

/** Every family with the alerts it must contain. */
const FAMILIES: ReadonlyArray<[string, () => AlertFamily, readonly string[]]> = [
  ['flux', () => AlertFamily.flux(), ['FluxKustomizationNotReady', 'FluxHelmReleaseNotReady', 'FluxSourceNotReady', 'FluxReconcileErrors', 'FluxResourceMetricsMissing']],
  ['cert-manager', () => AlertFamily.certManager(), ['CertificateNotReady', 'CertificateExpiringSoon', 'CertificateExpiryCritical']],
  ['velero', () => AlertFamily.velero(veleroOf(BackupPlan.production())), ['VeleroBackupFailed', 'VeleroBackupPartiallyFailed', 'VeleroBackupMissing']],
  ['cilium', () => AlertFamily.cilium(), ['CiliumAgentNotReady', 'CiliumDropsHigh', 'CiliumPolicyDenialsHigh', 'CiliumUnreachableNodes']],
  ['bgp', () => AlertFamily.bgp(), ['CiliumBgpSessionDown']],
  ['tetragon', () => AlertFamily.tetragon(), ['TetragonPolicyEvent', 'TetragonPolicyLoadFailed']],
  ['nodes', () => AlertFamily.nodes(), ['NodePressure', 'NodeFilesystemAlmostFull']],
  ['ceph', () => AlertFamily.ceph(), ['CephHealthWarning', 'CephHealthError']],
  ['cluster-api', () => AlertFamily.clusterApi(), ['ClusterApiMachineNotReady', 'ClusterApiReconcileErrors', 'ClusterApiClusterNotReady']],
  ['external-secrets', () => AlertFamily.externalSecrets(), ['ExternalSecretNotReady', 'ExternalSecretSyncErrors']],
  ['sealed-secrets', () => AlertFamily.sealedSecrets(), ['SealedSecretUnsealErrors']],
];

/** One cluster with every family, synthesized once for the assertions below. */
const all = (() => {
  const { fleet, cluster } = monitoredCluster();
  new PlatformAlerts(cluster.configs, 'PlatformAlerts', { families: FAMILIES.map(([, make]) => make()) });
  const manifests = fleet.manifests().map((m) => ({ file: m.file, object: m.object as Record<string, any> }));
  const rules = manifests.filter((m) => m.object.kind === 'PrometheusRule' && String(m.object.metadata.name).startsWith('infraflux-'));
  return { fleet, manifests, rules };
})();

const RUNBOOK = readFileSync(join(__dirname, '../../../docs/runbooks/alerts.md'), 'utf8');

describe('PlatformAlerts', () => {
  test.each(FAMILIES.map(([name, , alerts]) => [name, alerts] as const))('family %s: a PrometheusRule infraflux-%s with its alerts', (name, alerts) => {
    // GIVEN every family on one cluster WHEN synthesized
    const rule = all.rules.find((m) => m.object.metadata.name === `infraflux-${name}`);
    // THEN its PrometheusRule exists in monitoring with the family's alerts
    expect(rule?.file).toBe(`test/configs/prometheusrule-infraflux-${name}.yaml`);
    expect(rule!.object.metadata.namespace).toBe('monitoring');
    expect(rule!.object.spec.groups[0].rules.map((r: { alert: string }) => r.alert)).toEqual(expect.arrayContaining([...alerts]));
  });

  test('every rule parses offline and has for, severity, the owner label and a runbook section', () => {
    // GIVEN every platform rule
    const rules = all.rules.flatMap((m) => m.object.spec.groups[0].rules as Array<Record<string, any>>);
    expect(rules.length).toBeGreaterThan(25);
    for (const r of rules) {
      // THEN the expression parses, `for` is set, labels carry severity and owner, the runbook has a section
      expect({ alert: r.alert, problems: promqlProblems(r.expr) }).toEqual({ alert: r.alert, problems: [] });
      expect(r.for).toMatch(/^(\d+h)?(\d+m)?(\d+s)?$/);
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.labels['infraflux.io/owner']).toBe('platform');
      expect(r.annotations.runbook_url).toBe(`https://github.com/infraflux/infraflux/blob/main/docs/runbooks/alerts.md#${r.alert.toLowerCase()}`);
      expect(RUNBOOK).toContain(`\n## ${r.alert}\n`);
      for (const text of [r.annotations.summary, r.annotations.description]) expect(templateProblems(text)).toEqual([]);
    }
  });

  test('the objects are PrometheusRules validated against the pinned CRD', () => {
    // GIVEN the synthesized cluster: fleet.manifests() validated each object against its pinned schema
    // THEN they are monitoring.coreos.com/v1 PrometheusRules in the configs layer
    expect(all.rules.map((m) => m.object.apiVersion)).toEqual(all.rules.map(() => 'monitoring.coreos.com/v1'));
    expect(all.rules.every((m) => m.file.startsWith('test/configs/'))).toBe(true);
  });

  test('the reconcile model applies them after the monitoring CRDs', () => {
    // GIVEN the synthesized cluster WHEN the reconcile model replays it from empty
    // THEN every PrometheusRule's kind is served and its namespace exists when configs is applied
    expect(() => all.fleet.checkReconcile()).not.toThrow();
  });

  test('snapshot of the Flux family', () => {
    expect(all.rules.find((m) => m.object.metadata.name === 'infraflux-flux')!.object).toMatchSnapshot();
  });

  test('fails for a family given twice', () => {
    const { cluster } = monitoredCluster();
    expect(() => new PlatformAlerts(cluster.configs, 'P', { families: [AlertFamily.bgp(), AlertFamily.bgp()] })).toThrow(/alert family "bgp" is given twice/);
  });

  test('runbook links follow runbookBaseUrl', () => {
    const { cluster } = monitoredCluster();
    const alerts = new PlatformAlerts(cluster.configs, 'P', { families: [AlertFamily.bgp()], runbookBaseUrl: 'https://git.example.com/ops/runbooks.md' });
    const rules = alerts.groups.get('bgp')!.resource.toJson().spec.groups[0].rules;
    expect(rules[0].annotations.runbook_url).toBe('https://git.example.com/ops/runbooks.md#ciliumbgpsessiondown');
  });

  test('fails for a runbookBaseUrl with a fragment', () => {
    const { cluster } = monitoredCluster();
    expect(() => new PlatformAlerts(cluster.configs, 'P', { families: [AlertFamily.bgp()], runbookBaseUrl: 'https://x.example.com/a#b' })).toThrow(/runbookBaseUrl .* must be an http\(s\) URL without a fragment/);
  });

  test('fails without a monitoring stack on the cluster', () => {
    const { cluster } = testCluster();
    expect(() => new PlatformAlerts(cluster.configs, 'P', { families: [AlertFamily.bgp()] })).toThrow(expect.objectContaining({ code: 'INFRAFLUX_NOT_IN_CLUSTER' }));
  });
});

describe('Velero alerts from the backup plan', () => {
  test('one VeleroBackupMissing per schedule, with the schedule period plus grace', () => {
    // GIVEN the production plan (hourly, daily 02:00, sealing keys daily 01:00)
    const rules = AlertFamily.velero(veleroOf(BackupPlan.production())).rules.filter((r) => r.alert === 'VeleroBackupMissing');
    // THEN hourly: 1h + 1h grace; daily: 24h + 3h grace
    expect(rules.map((r) => r.labels!.schedule)).toEqual(['velero-hourly', 'velero-daily', 'velero-sealing-keys']);
    expect(rules[0].expr).toBe(
      '(time() - max(max_over_time(velero_backup_last_successful_timestamp{schedule="velero-hourly"}[14400s])) > 7200) or absent_over_time(velero_backup_last_successful_timestamp{schedule="velero-hourly"}[7200s])',
    );
    expect(rules[1].expr).toContain('> 97200)');
  });

  test('cron periods', () => {
    expect(cronPeriodSeconds(CronSchedule.hourly(5).expression)).toBe(3600);
    expect(cronPeriodSeconds(CronSchedule.daily(2).expression)).toBe(86400);
    expect(cronPeriodSeconds('0 */6 * * *')).toBe(6 * 3600);
    expect(cronPeriodSeconds('0 1,13 * * *')).toBe(12 * 3600);
    expect(cronPeriodSeconds('0 3 * * 0')).toBe(7 * 86400);
    expect(cronPeriodSeconds('@weekly')).toBe(7 * 86400);
  });

  test('fails when names and schedules do not line up', () => {
    expect(() => AlertFamily.velero({ scheduleNames: [], plan: BackupPlan.development() })).toThrow(/one schedule name per schedule/);
  });
});

describe('AlertRuleGroup checks (fixtures/bad-rules.ts)', () => {
  /** Every bad rule in a group of its own (Bad0, Bad1 …) on one cluster, validated once. */
  const synth = (() => {
    const { fleet, cluster } = monitoredCluster();
    BAD_RULES.forEach((b, i) => new AlertRuleGroup(cluster.configs, `Bad${i}`, { name: `bad-${i}`, rules: [b.rule] }));
    try {
      fleet.validateAll();
    } catch (e) {
      return e as InfraFluxError;
    }
    return undefined;
  })();

  test.each(BAD_RULES.map((b, i) => [b.rule.alert, b, i] as const))('fails for %s', (_name, bad, i) => {
    // GIVEN a group with one bad rule WHEN synthesized
    // THEN the synth error lists it with its code, the group's path and what is wrong
    expect(synth).toBeDefined();
    expect(synth!.problems).toContainEqual(expect.objectContaining({ code: bad.code, constructPath: `test/configs/Bad${i}`, message: expect.stringMatching(bad.message) }));
  });

  test('fails with every bad rule reported in one synth, and nothing else', () => {
    expect(new Set(synth!.problems.map((p) => p.constructPath))).toEqual(new Set(BAD_RULES.map((_, i) => `test/configs/Bad${i}`)));
  });

  test("a team's group carries its owner label and declares the owner", () => {
    // GIVEN a team's rules in the apps layer
    const { fleet, cluster } = monitoredCluster();
    const group = new AlertRuleGroup(cluster.apps, 'Shop', {
      name: 'shop',
      owner: { team: 'shop' },
      interval: Duration.seconds(30),
      rules: [{ alert: 'ShopDown', expr: 'up{job="shop"} == 0', for: Duration.minutes(2), severity: AlertSeverity.CRITICAL, summary: 'shop down', description: '{{ $labels.instance }}' }],
    });
    // AND the escape hatch on the raw object
    group.resource.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/reviewed': 'yes' }));
    const rule = manifest(fleet, 'test/apps/prometheusrule-shop.yaml');
    // THEN
    expect(rule.metadata.labels).toEqual({ 'infraflux.io/owner': 'shop' });
    expect(rule.metadata.annotations).toEqual({ 'example.com/reviewed': 'yes' });
    // (platform: every app Namespace the fleet creates declares the platform team)
    expect(declaredOwners(cluster).map((o) => o.team)).toEqual(['platform', 'shop']);
    expect(rule.spec.groups[0]).toMatchObject({ name: 'shop', interval: '30s', rules: [{ alert: 'ShopDown', for: '2m', labels: { 'infraflux.io/owner': 'shop', severity: 'critical' } }] });
  });
});
