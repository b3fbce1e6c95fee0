/**
 * Storage of the reference fleet (issue 13 point 2): every cluster gets {@link ClusterStorage}
 * chosen by its platform — the EBS, Azure Disk and PD CSI drivers on the clouds, Rook-Ceph on
 * Proxmox (mgmt, dev-proxmox) and Metal3 (edge-metal3), sized by environment — with the snapshot
 * CRDs and controller first, a `default` and a `gold` StorageClass and a Velero-labelled
 * VolumeSnapshotClass per driver. Where the backend has a UI (the Ceph dashboard), it is exposed
 * on `storage.<cluster>.<zone>` through the cluster's Gateway behind oauth2-proxy SSO.
 */
import { AZURE_CLOUD_CONFIG_SECRET } from '../lib/cloud';
import { Cidr } from '../lib/core/cidr';
import { invalidProp } from '../lib/core/errors';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { exposeStorageUi, OAuth2ProxySso } from '../lib/edge/platform-ui';
import { IFluxApp } from '../lib/flux/flux-app';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { SecretReference } from '../lib/secrets/secret-reference';
import { ClusterStorage, StorageBackend, StoragePlatform } from '../lib/storage';
import { FLEET_DOMAIN, type Baseline } from './config';

/** Namespace of the oauth2-proxy in front of the storage UI (`OAuth2ProxySso` names it after the route id `StorageUi`). */
export const STORAGE_SSO_NAMESPACE = OAuth2ProxySso.namespaceFor('StorageUi');

/**
 * The Azure Disk driver reads the same azure.json as the Azure cloud provider: Secret
 * `kube-system/azure-cloud-provider` (key `cloud-config`; the control planes' managed identity, no
 * secret in it), which stacks/cloud.ts declares on prod-azure as copied by mgmt's ClusterResourceSet
 * (decision 0070). One Secret, one declaration.
 */
function azureCloudConfig(): StoragePlatform {
  const { name, namespace, key } = AZURE_CLOUD_CONFIG_SECRET;
  return StoragePlatform.azure(SecretReference.fromExternalInput(name, namespace, [key]).key(key));
}

function gcpServiceAccount(cluster: GitOpsCluster): StoragePlatform {
  cluster.declareExternalInput({
    kind: 'Secret',
    namespace: 'gce-pd-csi-driver',
    name: 'cloud-sa',
    consumer: 'Kustomization gcp-pd-csi-driver (Deployment csi-gce-pd-controller, GOOGLE_APPLICATION_CREDENTIALS)',
    providedBy: 'the operator: a key of service account pd-csi@infraflux-dev with roles/compute.storageAdmin and roles/iam.serviceAccountUser on the node service account only',
    command:
      'gcloud iam service-accounts keys create cloud-sa.json --iam-account=pd-csi@infraflux-dev.iam.gserviceaccount.com && kubectl create namespace gce-pd-csi-driver --dry-run=client -o yaml | kubectl apply -f - && kubectl -n gce-pd-csi-driver create secret generic cloud-sa --from-file=cloud-sa.json && shred -u cloud-sa.json',
  });
  return StoragePlatform.gcp(SecretReference.fromExternalInput('cloud-sa', 'gce-pd-csi-driver', ['cloud-sa.json']).key('cloud-sa.json'));
}

/** Rook-Ceph sized by environment: production keeps 3 copies; dev and edge 2 (one host may fail). */
const rook = (replicas: number): StorageBackend => StorageBackend.rookCeph({ mons: 3, replicas });

/** Per cluster of the reference fleet: the platform (and, where it differs from the default, the backend). */
const CLUSTER_STORAGE: Readonly<Record<string, (cluster: GitOpsCluster) => { platform: StoragePlatform; backend?: StorageBackend }>> = {
  mgmt: () => ({ platform: StoragePlatform.PROXMOX, backend: rook(3) }),
  'prod-aws': () => ({ platform: StoragePlatform.aws('eu-central-1') }),
  'prod-azure': () => ({ platform: azureCloudConfig() }),
  'dev-gcp': (c) => ({ platform: gcpServiceAccount(c) }),
  'dev-proxmox': () => ({ platform: StoragePlatform.PROXMOX, backend: rook(2) }),
  'edge-metal3': () => ({ platform: StoragePlatform.METAL3, backend: rook(2) }),
};

export interface StorageOptions {
  /** The cluster's edge (stacks/edge.ts), for the storage UI route. */
  readonly edge: GatewayStack;
  /** The fleet's domain; the UI is `storage.<cluster>.<zone>`. */
  readonly zone: string;
  /** See `EdgeOptions.trustedProxyCidrs`. */
  readonly trustedProxyCidrs: readonly Cidr[];
  /** Delivers the SSO proxy's credentials (stacks/external-secrets.ts). */
  readonly ssoCredentials: (proxy: IFluxApp) => SecretReference;
  /** @default ['platform-admins'] */
  readonly allowedGroups?: readonly string[];
}

/** Adds the storage of one reference cluster, and its UI behind SSO when the backend has one. */
export function addStorage(baseline: Baseline, opts: StorageOptions): ClusterStorage {
  const { cluster } = baseline;
  const choose = CLUSTER_STORAGE[cluster.name];
  if (!choose) invalidProp(cluster, 'has no storage choice in stacks/storage.ts');
  const storage = new ClusterStorage(cluster, 'Storage', choose(cluster));
  if (storage.ui) {
    exposeStorageUi(opts.edge, storage.ui, {
      hostname: `storage.${cluster.name}.${opts.zone}`,
      sso: new OAuth2ProxySso({
        issuerUrl: `https://auth.${FLEET_DOMAIN}/application/o/storage-${cluster.name}/`,
        credentials: opts.ssoCredentials,
        trustedProxyCidrs: opts.trustedProxyCidrs,
        allowedGroups: opts.allowedGroups ?? ['platform-admins'],
      }),
    });
  }
  return storage;
}
