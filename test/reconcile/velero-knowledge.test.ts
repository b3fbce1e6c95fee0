/**
 * The knowledge entries of Velero (lib/reconcile/knowledge.ts): what the chart references and
 * brings (CRDs, BSLs, Schedules, ConfigMaps), what a BackupStorageLocation and a Schedule name.
 */
import { CHART_KNOWLEDGE, knowledgeFor, lockedCrdsUnder, type KnowledgeContext, type Reference, type Thing } from '../../lib/reconcile';
import { UpstreamCache } from '../../lib/upstream/lock';

type Obj = Record<string, any>;
const ctx = {} as KnowledgeContext;
const refs = (o: Obj): Reference[] => knowledgeFor(o).flatMap((k) => k.references?.(o, ctx) ?? []);
const short = (r: Thing): string => `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
const entry = CHART_KNOWLEDGE.find((c) => c.chart === 'velero')!;
const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'velero', namespace: 'velero' }, spec: {} };

describe('Velero knowledge', () => {
  test('the chart brings the velero.io CRDs', () => {
    // GIVEN the entry WHEN its CRD folder is read THEN the kinds the library uses are there
    const kinds = lockedCrdsUnder(UpstreamCache.default(), entry.crds!).map((c) => `${c.group}/${c.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['velero.io/BackupStorageLocation', 'velero.io/Schedule', 'velero.io/Backup', 'velero.io/Restore', 'velero.io/DataUpload']));
  });

  test('the chart needs credentials.existingSecret unless useSecret is false', () => {
    expect(entry.references!({ credentials: { useSecret: true, existingSecret: 'velero-credentials' } }, 'velero').map(short)).toEqual(['/Secret/velero/velero-credentials']);
    expect(entry.references!({ credentials: { useSecret: false, existingSecret: 'x' } }, 'velero')).toEqual([]);
  });

  test('once Ready: a BSL per location, Schedules and ConfigMaps named <fullname>-<key>', () => {
    const values = { configuration: { backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: 'b' }] }, schedules: { daily: {}, hourly: {} }, configMaps: { 'volume-policy': {} } };
    expect(entry.objects!(values, hr, ctx).map(short)).toEqual([
      'velero.io/BackupStorageLocation/velero/default',
      'velero.io/Schedule/velero/velero-daily',
      'velero.io/Schedule/velero/velero-hourly',
      '/ConfigMap/velero/velero-volume-policy',
    ]);
    // no BSL when backups are off
    expect(entry.objects!({ ...values, backupsEnabled: false }, hr, ctx).map((t) => t.kind)).not.toContain('BackupStorageLocation');
  });

  test('a BackupStorageLocation names its credential Secret; a Schedule its location and policy (eventual)', () => {
    const bsl = { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'extra', namespace: 'velero' }, spec: { credential: { name: 'other-creds', key: 'cloud' } } };
    expect(refs(bsl).map(short)).toEqual(['/Secret/velero/other-creds']);
    const schedule = { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 's', namespace: 'velero' }, spec: { schedule: '0 1 * * *', template: { storageLocation: 'default', resourcePolicy: { kind: 'configmap', name: 'velero-volume-policy' } } } };
    const r = refs(schedule);
    expect(r.map(short)).toEqual(['velero.io/BackupStorageLocation/velero/default', '/ConfigMap/velero/velero-volume-policy']);
    expect(r.every((x) => x.eventual)).toBe(true);
  });
});
