/**
 * Versions of the storage components that are not Helm charts (chart versions come from
 * imports/helm/charts.ts). test/storage/versions.test.ts checks each against upstream.lock.json.
 */
export const STORAGE_VERSIONS = {
  /** kubernetes-csi/external-snapshotter release tag (CRDs and snapshot-controller). */
  externalSnapshotter: 'v8.6.0',
  /** kubernetes-sigs/gcp-compute-persistent-disk-csi-driver release tag. */
  gcpPdCsiDriver: 'v1.26.4',
  /** rancher/local-path-provisioner release tag. */
  localPathProvisioner: 'v0.0.37',
  /** The helper pod image local-path-provisioner runs to create and delete directories (upstream: unpinned `busybox`). */
  localPathHelperImage: 'busybox:1.37.0',
} as const;
