/**
 * Names the storage, backup and edge folders share (issue 13 gaps): defined once here, in core,
 * because lib/backup and lib/edge may not import lib/storage (.dependency-cruiser.cjs); the
 * folders re-export them.
 */
import { ServiceReference } from './service-reference';

/**
 * The label Velero's CSI snapshot support looks for: per CSI driver, the VolumeSnapshotClass with
 * this label is the one Velero uses.
 * @see https://velero.io/docs/main/csi/#implementation-choices
 */
export const VELERO_SNAPSHOT_CLASS_LABEL = 'velero.io/csi-volumesnapshot-class';

/** Rook's operator, CephCluster and CSI namespace InfraFlux installs into. */
export const ROOK_NAMESPACE = 'rook-ceph';

/**
 * The mgr dashboard Service the Rook operator creates with `dashboard.enabled` (plain HTTP, port
 * 7000): `rook-ceph/rook-ceph-mgr-dashboard:7000`.
 */
export const CEPH_DASHBOARD_SERVICE: ServiceReference = { namespace: ROOK_NAMESPACE, name: 'rook-ceph-mgr-dashboard', port: 7000 };
