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
import { BackupCredentialModel, BackupStorageTarget } from '../core/backup-storage-target';
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

/** How Velero authenticates to Azure (see {@link AzureVeleroCredentials}). */
export enum AzureVeleroCredentialsKind {
  /** Entra ID Workload Identity: a user-assigned identity federated with the Velero service account. */
  WORKLOAD_IDENTITY = 'workload-identity',
  /** The storage account's access key in a credentials file (a long-lived secret). */
  STORAGE_ACCOUNT_KEY = 'storage-account-key',
}

/** How the Velero server authenticates to Azure Blob Storage. */
export class AzureVeleroCredentials {
  /**
   * Workload Identity (the default): a user-assigned managed identity with Storage Blob Data
   * Contributor on the account, federated for the Velero service account's tokens. Needs the
   * cluster's service-account issuer to be public and known before Terraform runs (`oidcIssuerUrl`).
   * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure#option-3-use-azure-ad-workload-identity
   */
  public static workloadIdentity(): AzureVeleroCredentials {
    return new AzureVeleroCredentials(AzureVeleroCredentialsKind.WORKLOAD_IDENTITY);
  }

  /**
   * The storage account key, for clusters whose issuer Entra ID cannot reach (e.g. Talos clusters
   * made by Cluster API, decision 0072). Shared-key access is then enabled on this account (the
   * plugin's documented storage-key option, object storage only: no disk snapshots); the file
   * `AZURE_STORAGE_ACCOUNT_ACCESS_KEY=...` is only in the sensitive output `<prefix>_credentials`
   * (and Terraform state), and the BSL config names it with `storageAccountKeyEnvVar`.
   * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure#option-2-use-storage-account-access-key
   */
  public static storageAccountKey(): AzureVeleroCredentials {
    return new AzureVeleroCredentials(AzureVeleroCredentialsKind.STORAGE_ACCOUNT_KEY);
  }

  private constructor(public readonly kind: AzureVeleroCredentialsKind) {}
}

/** The env var of the credentials file that holds the storage account key (BSL `config.storageAccountKeyEnvVar`). */
export const VELERO_AZURE_ACCOUNT_KEY_ENV = 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY';

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
   * Workload Identity or the storage account key.
   * @default AzureVeleroCredentials.workloadIdentity()
   */
  readonly credentials?: AzureVeleroCredentials;
  /**
   * Issuer URL of the cluster's service-account tokens (AKS: `oidc_issuer_url`), trusted by the
   * federated identity credential. Required with Workload Identity, refused with the account key.
   * @default - none (only valid with AzureVeleroCredentials.storageAccountKey())
   * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
   */
  readonly oidcIssuerUrl?: string;
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
 * A hardened Azure storage account (HTTPS only, TLS 1.2 minimum, no public blob access,
 * infrastructure encryption, blob versioning and soft delete) and a private container, with one of
 * two credential models:
 * - Workload Identity (default): shared key access disabled so only Entra ID works, a
 *   user-assigned managed identity with **Storage Blob Data Contributor** on this account only, and
 *   a federated credential for exactly `system:serviceaccount:<namespace>:<serviceAccount>`. Velero
 *   uses `useAAD: "true"` and `storageAccountURI` (no control-plane read of the account).
 *   Outputs: `<prefix>_container`, `<prefix>_storage_account`, `<prefix>_client_id`,
 *   `<prefix>_backup_storage_location`. No secret is created.
 * - Storage account key: shared key access stays enabled, no identity; the sensitive output
 *   `<prefix>_credentials` holds the credentials file and the BSL config names its variable.
 */
export class VeleroAzureBlobStorage extends Construct implements IVeleroBackupStorage {
  public readonly storageAccount: StorageAccount;
  public readonly container: StorageContainer;
  /** The federated managed identity (Workload Identity only). */
  public readonly identity?: UserAssignedIdentity;
  public readonly backupStorageLocation: VeleroBackupStorageLocation;
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  public readonly outputPrefix: string;
  /**
   * The location for `VeleroBackup` (lib/backup): literal container, account and resource group,
   * and the credentials file `<prefix>_credentials` (account key) or the workload identity (whose
   * client id is a Terraform reference, which a cdk8s consumer refuses).
   */
  public readonly storageTarget: BackupStorageTarget;
  public readonly credentialsKind: AzureVeleroCredentialsKind;

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
    this.credentialsKind = (props.credentials ?? AzureVeleroCredentials.workloadIdentity()).kind;
    const workloadIdentity = this.credentialsKind === AzureVeleroCredentialsKind.WORKLOAD_IDENTITY;
    if (workloadIdentity && (oidcIssuerUrl === undefined || oidcIssuerUrl === '')) {
      invalidProp(this, 'oidcIssuerUrl is missing; Workload Identity needs the issuer of the cluster\'s service-account tokens (or use AzureVeleroCredentials.storageAccountKey())');
    }
    if (!workloadIdentity && oidcIssuerUrl !== undefined) {
      invalidProp(this, `oidcIssuerUrl "${oidcIssuerUrl}" is given, but the credentials are the storage account key; drop it or use AzureVeleroCredentials.workloadIdentity()`);
    }
    if (oidcIssuerUrl !== undefined && !Token.isUnresolved(oidcIssuerUrl) && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(oidcIssuerUrl)) {
      invalidProp(this, `oidcIssuerUrl "${oidcIssuerUrl}" is not an https:// issuer URL`);
    }
    if (!workloadIdentity && props.diskSnapshotResourceGroupId !== undefined) {
      invalidProp(this, 'diskSnapshotResourceGroupId needs the managed identity of Workload Identity; the storage account key grants object storage only');
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
      // Shared keys only when they are the credential: with Workload Identity, Entra ID only.
      sharedAccessKeyEnabled: !workloadIdentity,
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
    const p = this.outputPrefix;
    // Literal for the cdk8s side: the public-cloud blob endpoint of a StorageV2 account.
    const literalUri = `https://${storageAccountName}.blob.core.windows.net/`;
    if (workloadIdentity) {
      const identity = new UserAssignedIdentity(this, 'identity', {
        name: props.identityName ?? `velero-${storageAccountName}`,
        resourceGroupName,
        location,
      });
      this.identity = identity;
      new RoleAssignment(this, 'blob-data', {
        scope: this.storageAccount.id,
        roleDefinitionName: VELERO_AZURE_BLOB_ROLE,
        principalId: identity.principalId,
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
          principalId: identity.principalId,
          principalType: 'ServicePrincipal',
        });
      }
      new FederatedIdentityCredential(this, 'federated', {
        name: `${sa.namespace}-${sa.serviceAccount}`,
        resourceGroupName,
        parentId: identity.id,
        audience: ['api://AzureADTokenExchange'],
        issuer: oidcIssuerUrl!,
        subject: sa.sub,
      });
      const client = new DataAzurermClientConfig(this, 'client');

      this.serviceAccountAnnotations = { 'azure.workload.identity/client-id': identity.clientId };
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
      this.storageTarget = BackupStorageTarget.azureBlob({
        container: containerName,
        resourceGroup: resourceGroupName,
        storageAccount: storageAccountName,
        config: { storageAccountURI: literalUri, useAAD: 'true' },
        credentials: BackupCredentialModel.workloadIdentity(this.serviceAccountAnnotations),
      });
    } else {
      this.serviceAccountAnnotations = {};
      const config = { resourceGroup: resourceGroupName, storageAccount: storageAccountName, storageAccountKeyEnvVar: VELERO_AZURE_ACCOUNT_KEY_ENV };
      this.backupStorageLocation = { provider: 'azure', bucket: this.container.name, config: { ...config, storageAccount: this.storageAccount.name } };
      this.storageTarget = BackupStorageTarget.azureBlob({
        container: containerName,
        resourceGroup: resourceGroupName,
        storageAccount: storageAccountName,
        config: { storageAccountKeyEnvVar: VELERO_AZURE_ACCOUNT_KEY_ENV },
        credentials: BackupCredentialModel.secretFile(`${p}_credentials`),
      });
      new TerraformOutput(this, 'credentials', {
        value: `${VELERO_AZURE_ACCOUNT_KEY_ENV}=${this.storageAccount.primaryAccessKey}\nAZURE_CLOUD_NAME=AzurePublicCloud\n`,
        sensitive: true,
        description: 'Credentials file for the Velero chart (Secret key "cloud"); put it in the cluster\'s secret store or a SealedSecret',
      }).overrideLogicalId(`${p}_credentials`);
    }
    new TerraformOutput(this, 'container-out', { value: this.container.name, description: 'Velero BackupStorageLocation bucket (blob container)' }).overrideLogicalId(`${p}_container`);
    new TerraformOutput(this, 'account-out', { value: this.storageAccount.name, description: 'Velero BackupStorageLocation config.storageAccount' }).overrideLogicalId(`${p}_storage_account`);
    if (this.identity) {
      new TerraformOutput(this, 'client-id', { value: this.identity.clientId, description: 'Managed identity client id (annotation azure.workload.identity/client-id; pod label azure.workload.identity/use: "true")' }).overrideLogicalId(`${p}_client_id`);
    }
    new TerraformOutput(this, 'bsl', { value: this.backupStorageLocation, description: 'Velero chart configuration.backupStorageLocation[] entry (no secrets)' }).overrideLogicalId(`${p}_backup_storage_location`);
  }
}
