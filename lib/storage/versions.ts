/**
 * Versions of the storage components that are not Helm charts (chart versions come from
 * imports/helm/charts.ts). test/storage/versions.test.ts checks each against upstream.lock.json.
 */
export const STORAGE_VERSIONS = {
  /** kubernetes-csi/external-snapshotter release tag (CRDs and snapshot-controller). */
  externalSnapshotter: 'v8.6.0',
  /** kubernetes-sigs/gcp-compute-persistent-disk-csi-driver release tag. */
  gcpPdCsiDriver: 'v1.26.4',
} as const;
