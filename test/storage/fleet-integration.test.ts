import { validateFleetManifests } from '../../lib/validation';
import { CEPH_FS_CSI_DRIVER, CEPH_RBD_CSI_DRIVER } from '../../lib/storage/drivers/rook-ceph';
import { REFERENCE_CLUSTERS } from '../../stacks/fleet';
import { referenceFleet } from '../support/reference-fleet';

type Obj = { kind: string; apiVersion: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> }; [k: string]: any };

/** The CSI drivers each reference cluster must run (stacks/storage.ts). */
const EXPECTED: Record<string, string[]> = {
  mgmt: [CEPH_RBD_CSI_DRIVER, CEPH_FS_CSI_DRIVER],
  'prod-aws': ['ebs.csi.aws.com'],
  'prod-azure': ['disk.csi.azure.com'],
  'dev-gcp': ['pd.csi.storage.gke.io'],
  'dev-proxmox': [CEPH_RBD_CSI_DRIVER, CEPH_FS_CSI_DRIVER],
  'edge-metal3': [CEPH_RBD_CSI_DRIVER, CEPH_FS_CSI_DRIVER],
};

describe('storage on the reference fleet', () => {
  // GIVEN the complete reference fleet (the shared read-only build)
  const { manifests } = referenceFleet();
  const of = (cluster: string, kind: string): Obj[] => manifests.filter((m) => m.file.startsWith(`${cluster}/`) && m.object.kind === kind).map((m) => m.object as Obj);

  test('every cluster is covered', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(REFERENCE_CLUSTERS.map((c) => c.name).sort());
  });

  test.each(Object.keys(EXPECTED))('%s: exactly one default StorageClass, a gold class, a Velero snapshot class per driver', (cluster) => {
    const classes = of(cluster, 'StorageClass');
    expect(classes.filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true').map((c) => c.metadata.name)).toEqual(['default']);
    expect(classes.map((c) => c.metadata.name)).toContain('gold');
    const snapshotClasses = of(cluster, 'VolumeSnapshotClass');
    expect(snapshotClasses.map((c) => c.driver).sort()).toEqual([...EXPECTED[cluster]].sort());
    for (const c of snapshotClasses) expect(c.metadata.labels?.['velero.io/csi-volumesnapshot-class']).toBe('true');
    // the default class is served by the cluster's first driver
    expect(classes.find((c) => c.metadata.name === 'default')!.provisioner).toBe(EXPECTED[cluster][0]);
  });

  test('the clouds run their CSI driver; Proxmox and Metal3 run Rook-Ceph with its dashboard behind SSO', () => {
    const files = new Set(manifests.map((m) => m.file));
    expect(files.has('prod-aws/releases/aws-ebs-csi-driver/helmrelease-aws-ebs-csi-driver.yaml')).toBe(true);
    expect(files.has('prod-azure/releases/azuredisk-csi-driver/helmrelease-azuredisk-csi-driver.yaml')).toBe(true);
    expect(files.has('dev-gcp/controllers/kustomization-gcp-pd-csi-driver.yaml')).toBe(true);
    for (const c of ['mgmt', 'dev-proxmox', 'edge-metal3']) {
      expect(of(c, 'CephCluster').map((o) => o.metadata.name)).toEqual(['rook-ceph']);
      const route = manifests.find((m) => m.file === `${c}/releases/gateway-routes/httproute-storageui.yaml`)!.object as Obj;
      expect(route.spec.hostnames).toEqual([`storage.${c}.infraflux.example.com`]);
      expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ name: 'oauth2-proxy-storageui', port: 80 });
    }
    // no storage UI on the clouds
    expect(files.has('prod-aws/releases/gateway-routes/httproute-storageui.yaml')).toBe(false);
  });

  test('replicas by environment: 3 on mgmt, 2 on dev and edge', () => {
    const size = (c: string) => of(c, 'CephBlockPool').find((p) => p.metadata.name === 'replicapool')!.spec.replicated.size;
    expect([size('mgmt'), size('dev-proxmox'), size('edge-metal3')]).toEqual([3, 2, 2]);
  });

  test('every storage object and HelmRelease validates against its pinned schema', () => {
    const storage = manifests.filter((m) => /storageclass|volumesnapshotclass|ceph|rook|csi|longhorn|snapshot/.test(m.file));
    expect(storage.length).toBeGreaterThan(30);
    const report = validateFleetManifests(storage);
    expect(report.issues).toEqual([]);
  });

  test('the reconcile model replays every cluster cleanly (snapshot CRDs before the drivers)', () => {
    // THEN no violation is thrown, and each README orders snapshot-crds before snapshot-controller before the drivers
    const readme = referenceFleet().rendered.get('dev-proxmox/README.md') ?? '';
    const wave = (k: string): number => Number(new RegExp(`\\| (\\d+) \\| \`flux-system/${k}\``).exec(readme)?.[1]);
    expect(wave('snapshot-crds')).toBeLessThan(wave('snapshot-controller'));
    expect(wave('snapshot-controller')).toBeLessThan(wave('ceph-csi-drivers'));
    expect(wave('rook-ceph')).toBeLessThan(wave('ceph-csi-drivers'));
  });
});
