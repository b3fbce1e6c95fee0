/**
 * The rename guard (decision 0111): synth records the names of stateful and identity-bearing
 * objects in dist/<cluster>/.names.json and refuses to drop one without a declaration.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { ErrorCode, FluxManifestApp, InfraFluxError, recordNames, RenameGuard } from '../../lib';
import { testCluster } from '../support/fleet';

/** A one-cluster fleet with an app `id` (Namespace `id`) holding a PVC and a StatefulSet with a claim template. */
function fleetWithApp(id: string) {
  const { fleet, cluster } = testCluster();
  const app = new FluxManifestApp(cluster.apps, id);
  new ApiObject(app.content, 'Data', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: app.namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  return { fleet, cluster, app };
}

function outdir(): string {
  return join(mkdtempSync(join(tmpdir(), 'names-')), 'dist');
}

function thrown(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    return e as InfraFluxError;
  }
  throw new Error('expected an error');
}

describe('rename guard', () => {
  test('synth records the identity-bearing names per cluster, sorted, and a fresh output folder passes', () => {
    // GIVEN an app `web` with a PVC WHEN synthesized into a fresh folder
    const out = outdir();
    const { fleet } = fleetWithApp('web');
    const { files } = fleet.synthesize(out);
    // THEN test/.names.json lists the Namespace and the PVC (not the Kustomization), and is not counted as a manifest
    const doc = JSON.parse(readFileSync(join(out, 'test', '.names.json'), 'utf8'));
    expect(doc.names).toEqual([
      { kind: 'Namespace', name: 'web' },
      { kind: 'PersistentVolumeClaim', namespace: 'web', name: 'data' },
    ]);
    expect(files).toBe(fleet.manifests().length);
    expect(fleet.render().get('test/.names.json')).toBe(readFileSync(join(out, 'test', '.names.json'), 'utf8'));
  });

  test('records StatefulSet volume claim templates', () => {
    // GIVEN a StatefulSet with a claim template THEN both the set and the template are recorded
    expect(
      recordNames([{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'web' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'pgdata' } }] } }]),
    ).toEqual([
      { kind: 'StatefulSet.apps', namespace: 'web', name: 'db' },
      { kind: 'StatefulSet.apps', namespace: 'web', name: 'db', volumeClaimTemplate: 'pgdata' },
    ]);
  });

  test('fails when an app id rename drops a recorded Namespace and PVC, and writes nothing', () => {
    // GIVEN dist/ synthesized with app `web`
    const out = outdir();
    fleetWithApp('web').fleet.synthesize(out);
    const before = readFileSync(join(out, 'test', '.names.json'), 'utf8');
    // WHEN the app's id becomes `webapp` and the fleet is synthesized into the same folder
    const error = thrown(() => fleetWithApp('webapp').fleet.synthesize(out));
    // THEN synth fails with one RENAME_UNDECLARED per lost name, and the old dist/ is untouched
    expect(error.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(error.problems.map((p) => p.code)).toEqual([ErrorCode.RENAME_UNDECLARED, ErrorCode.RENAME_UNDECLARED]);
    expect(error.message).toMatch(/Namespace web was recorded in test\/\.names\.json and is no longer synthesized; Flux would delete it/);
    expect(error.message).toMatch(/PersistentVolumeClaim web\/data .*RenameGuard\.renamedFrom\(construct, 'web'\)/);
    expect(readFileSync(join(out, 'test', '.names.json'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'test', 'apps', 'namespace-web.yaml'))).toBe(true);
  });

  test('a rename declared with renamedFrom passes and records the new names', () => {
    const out = outdir();
    fleetWithApp('web').fleet.synthesize(out);
    // GIVEN the renamed app declares its previous name
    const { fleet, app } = fleetWithApp('webapp');
    RenameGuard.renamedFrom(app, 'web');
    // WHEN synthesized THEN it passes and the record has the new names
    fleet.synthesize(out);
    expect(JSON.parse(readFileSync(join(out, 'test', '.names.json'), 'utf8')).names.map((n: { name: string }) => n.name)).toEqual(['webapp', 'data']);
  });

  test('a retired name passes; an unrelated retire does not', () => {
    const out = outdir();
    fleetWithApp('web').fleet.synthesize(out);
    // GIVEN the app is gone, its Namespace retired but not its PVC
    const { fleet, cluster } = testCluster();
    RenameGuard.retire(cluster, { kind: 'Namespace', name: 'web' }, 'web moved to another cluster; data restored there');
    // THEN only the PVC is reported
    const error = thrown(() => fleet.synthesize(out));
    expect(error.problems.map((p) => p.message)).toEqual([expect.stringContaining('PersistentVolumeClaim web/data was recorded')]);
    // WHEN the PVC is retired too THEN synth passes
    RenameGuard.retire(cluster, { kind: 'PersistentVolumeClaim', namespace: 'web', name: 'data' }, 'backed up with Velero, restored there');
    expect(() => fleet.synthesize(out)).not.toThrow();
  });

  test('fails on a malformed record', () => {
    const out = outdir();
    fleetWithApp('web').fleet.synthesize(out);
    writeFileSync(join(out, 'test', '.names.json'), '{"names": 3}');
    expect(thrown(() => fleetWithApp('web').fleet.synthesize(out)).code).toBe(ErrorCode.NAMES_MANIFEST_MALFORMED);
  });

  test('fails on a retire without a reason and a renamedFrom that is no name', () => {
    const { cluster } = testCluster();
    expect(thrown(() => RenameGuard.retire(cluster, { kind: 'Namespace', name: 'web' }, ' ')).message).toMatch(/retire Namespace web needs a reason/);
    expect(thrown(() => RenameGuard.renamedFrom(cluster, 'Web_App')).message).toMatch(/renamedFrom "Web_App" is not a Kubernetes object name/);
  });
});
