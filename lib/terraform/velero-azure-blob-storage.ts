/**
 * Velero object storage on Azure: a hardened storage account and blob container, a user-assigned
 * identity federated with the Velero service account, built on the prebuilt
 * `@cdktf/provider-azurerm` 14.23.1 bindings (hashicorp/azurerm 4.55.0; decision 0051). Provider
 * classes are imported by resource path, never the package root (synth speed).
 *
 * The permission lists are the ones the Velero Azure plugin's README documents (docs/terraform.md
 * cites it); tests assert them in full. Shared surface: ./velero-storage.ts.
 */
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';
import { outputPrefixOf, positiveDays, subject } from './_velero';
import { IVeleroBackupStorage, VeleroBackupStorageLocation, VeleroServiceAccountProps } from './velero-storage';

// ---------------------------------------------------------------------------------------------
// Permission lists (exactly what the plugin documents; see docs/terraform.md "Velero storage")
// ---------------------------------------------------------------------------------------------

/**
 * Built-in Azure role for the Velero Azure plugin with `useAAD: "true"` (Workload Identity):
 * data-plane access to blobs only, no account keys.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure#if-using-azure-ad-workload-identity
 */
export const VELERO_AZURE_BLOB_ROLE = 'Storage Blob Data Contributor';
/**
 * Managed-disk actions of the Velero Azure plugin's snapshotter (the README's minimum custom role
 * without its `listkeys`/`regeneratekey` storage actions, which Workload Identity does not need).
 */
export const VELERO_AZURE_DISK_SNAPSHOT_ACTIONS = [
  'Microsoft.Compute/disks/read',
  'Microsoft.Compute/disks/write',
  'Microsoft.Compute/disks/endGetAccess/action',
  'Microsoft.Compute/disks/beginGetAccess/action',
  'Microsoft.Compute/snapshots/read',
  'Microsoft.Compute/snapshots/write',
  'Microsoft.Compute/snapshots/delete',
] as const;

// ---------------------------------------------------------------------------------------------
// Azure
// ---------------------------------------------------------------------------------------------

/** Azure storage redundancy (`account_replication_type`). */
export class AzureStorageRedundancy {
  /** Locally redundant (one datacenter). */
  public static readonly LRS = new AzureStorageRedundancy('LRS');
  /** Zone redundant (three zones in the region). */
  public static readonly ZRS = new AzureStorageRedundancy('ZRS');
  /** Geo redundant (paired region); what the Velero Azure README creates. */
  public static readonly GRS = new AzureStorageRedundancy('GRS');
  /** Geo-zone redundant. */
  public static readonly GZRS = new AzureStorageRedundancy('GZRS');
  private constructor(public readonly value: string) {}
}

export interface VeleroAzureBlobStorageProps extends VeleroServiceAccountProps {
  /**
   * Globally unique storage account name: 3-24 lowercase letters and digits.
   * @see https://learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name
   */
  readonly storageAccountName: string;
  /** Existing resource group for the account and the identity. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /**
   * Issuer URL of the cluster's service-account tokens (AKS: `oidc_issuer_url`), trusted by the
   * federated identity credential.
   * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
   */
  readonly oidcIssuerUrl: string;
  /**
   * Private blob container for the backups: 3-63 lowercase letters, digits and single `-`.
   * @default 'velero'
   */
  readonly containerName?: string;
  /**
   * Name of the user-assigned managed identity.
   * @default 'velero-<storageAccountName>'
   */
  readonly identityName?: string;
  /**
   * Replication of the storage account.
   * @default AzureStorageRedundancy.GRS
   */
  readonly redundancy?: AzureStorageRedundancy;
  /**
   * Double encryption at rest (infrastructure encryption); can only be set when the account is created.
   * @default true
   * @see https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable
   */
  readonly infrastructureEncryption?: boolean;
  /**
   * Soft-delete retention for blobs and containers, in days (1-365).
   * @default 14
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Resource group id (`/subscriptions/…/resourceGroups/<node resource group>`) holding the
   * cluster's managed disks: a custom role with the Velero plugin's disk and snapshot actions is
   * assigned there. Needed only for Velero's native Azure disk snapshotter.
   * @default - no disk-snapshot permissions
   */
  readonly diskSnapshotResourceGroupId?: string;
}

/**
 * A hardened Azure storage account (HTTPS only, TLS 1.2 minimum, no public blob access, shared
 * key access disabled so only Entra ID works, infrastructure encryption, blob versioning and soft
 * delete), a private container, a user-assigned managed identity with **Storage Blob Data
 * Contributor** on this account only, and a Workload Identity federated credential for exactly
 * `system:serviceaccount:<namespace>:<serviceAccount>`. Velero uses `useAAD: "true"` and
 * `storageAccountURI` (so the plugin needs no control-plane read of the account).
 *
 * Outputs: `<prefix>_container`, `<prefix>_storage_account`, `<prefix>_client_id`,
 * `<prefix>_backup_storage_location`. No secret is created.
 */
export class VeleroAzureBlobStorage extends Construct implements IVeleroBackupStorage {
  public readonly storageAccount: StorageAccount;
  public readonly container: StorageContainer;
  public readonly identity: UserAssignedIdentity;
  public readonly backupStorageLocation: VeleroBackupStorageLocation;
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  public readonly outputPrefix: string;

  public constructor(scope: Construct, id: string, props: VeleroAzureBlobStorageProps) {
    super(scope, id);
    const { storageAccountName, resourceGroupName, location, oidcIssuerUrl } = props;
    if (!/^[a-z0-9]{3,24}$/.test(storageAccountName)) invalidProp(this, `storageAccountName "${storageAccountName}" is not a storage account name; use 3-24 lowercase letters and digits`);
    const containerName = props.containerName ?? 'velero';
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(containerName)) {
      invalidProp(this, `containerName "${containerName}" is not a blob container name; use 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit`);
    }
    if (resourceGroupName === undefined || resourceGroupName === '') invalidProp(this, 'resourceGroupName is missing; give the resource group for the storage account');
    if (location === undefined || location === '') invalidProp(this, 'location is missing; give an Azure region such as westeurope');
    if (!/^[a-z][a-z0-9]+$/.test(location)) invalidProp(this, `location "${location}" is not an Azure region name such as westeurope`);
    if (!Token.isUnresolved(oidcIssuerUrl) && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(oidcIssuerUrl)) {
      invalidProp(this, `oidcIssuerUrl "${oidcIssuerUrl}" is not an https:// issuer URL`);
    }
    const sa = subject(this, props);
    this.outputPrefix = outputPrefixOf(this, id, props.outputPrefix);
    const retention = positiveDays(this, 'softDeleteRetentionDays', props.softDeleteRetentionDays ?? 14, 365);

    this.storageAccount = new StorageAccount(this, 'Resource', {
      name: storageAccountName,
      resourceGroupName,
      location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: (props.redundancy ?? AzureStorageRedundancy.GRS).value,
      accessTier: 'Hot',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: props.infrastructureEncryption ?? true,
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
      tags: { 'app.kubernetes.io/name': 'velero' },
    });
    this.container = new StorageContainer(this, 'container', {
      name: containerName,
      storageAccountId: this.storageAccount.id,
      containerAccessType: 'private',
    });
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: props.identityName ?? `velero-${storageAccountName}`,
      resourceGroupName,
      location,
    });
    new RoleAssignment(this, 'blob-data', {
      scope: this.storageAccount.id,
      roleDefinitionName: VELERO_AZURE_BLOB_ROLE,
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      description: `Velero (${sa.sub}) backups in container ${containerName}`,
    });
    if (props.diskSnapshotResourceGroupId !== undefined) {
      const rg = props.diskSnapshotResourceGroupId;
      if (!Token.isUnresolved(rg) && !/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]+$/i.test(rg)) {
        invalidProp(this, `diskSnapshotResourceGroupId "${rg}" is not a resource group id like /subscriptions/<uuid>/resourceGroups/<name>`);
      }
      const role = new RoleDefinition(this, 'snapshot-role', {
        name: `velero-snapshots-${storageAccountName}`,
        scope: rg,
        description: 'Velero Azure plugin: managed disk snapshots',
        permissions: [{ actions: [...VELERO_AZURE_DISK_SNAPSHOT_ACTIONS] }],
        assignableScopes: [rg],
      });
      new RoleAssignment(this, 'snapshots', {
        scope: rg,
        roleDefinitionId: role.roleDefinitionResourceId,
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
    new FederatedIdentityCredential(this, 'federated', {
      name: `${sa.namespace}-${sa.serviceAccount}`,
      resourceGroupName,
      parentId: this.identity.id,
      audience: ['api://AzureADTokenExchange'],
      issuer: oidcIssuerUrl,
      subject: sa.sub,
    });
    const client = new DataAzurermClientConfig(this, 'client');

    this.serviceAccountAnnotations = { 'azure.workload.identity/client-id': this.identity.clientId };
    this.backupStorageLocation = {
      provider: 'azure',
      bucket: this.container.name,
      config: {
        resourceGroup: resourceGroupName,
        storageAccount: this.storageAccount.name,
        storageAccountURI: this.storageAccount.primaryBlobEndpoint,
        subscriptionId: client.subscriptionId,
        useAAD: 'true',
      },
    };
    const p = this.outputPrefix;
    new TerraformOutput(this, 'container-out', { value: this.container.name, description: 'Velero BackupStorageLocation bucket (blob container)' }).overrideLogicalId(`${p}_container`);
    new TerraformOutput(this, 'account-out', { value: this.storageAccount.name, description: 'Velero BackupStorageLocation config.storageAccount' }).overrideLogicalId(`${p}_storage_account`);
    new TerraformOutput(this, 'client-id', { value: this.identity.clientId, description: 'Managed identity client id (annotation azure.workload.identity/client-id; pod label azure.workload.identity/use: "true")' }).overrideLogicalId(`${p}_client_id`);
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}
