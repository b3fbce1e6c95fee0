import { Testing } from 'cdktf';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ErrorCode } from '../../lib/core/errors';
import { AzurePlatformStack } from '../../lib/terraform';
import { thrownBy } from '../support/errors';
import { all, AZURE, azure, parse, synth } from './_velero-stacks';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

describe('VeleroAzureBlobStorage', () => {
  test('hardens the account: HTTPS only, TLS 1.2, no public blobs, no shared keys, infrastructure encryption', () => {
    // GIVEN a storage account with defaults WHEN synthesized THEN HTTPS/TLS 1.2 only, no public blobs, no shared keys, Azure AD auth
    expect(synth(azure())).toHaveResourceWithProperties(StorageAccount, {
      name: 'infrafluxvelero',
      account_kind: 'StorageV2',
      account_replication_type: 'GRS',
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 14 }, container_delete_retention_policy: { days: 14 } },
    });
    expect(synth(azure())).toHaveResourceWithProperties(StorageContainer, { name: 'velero', container_access_type: 'private' });
    expect(synth(azure())).toHaveProviderWithProperties(AzurermProvider, { storage_use_azuread: true, features: [{}] });
  });

  test('the identity gets only Storage Blob Data Contributor on this account, federated for velero/velero', () => {
    // GIVEN the default storage WHEN synthesized THEN one data-plane role on this account, federated for velero/velero, no key in outputs
    const json = parse(azure());
    const assignments = all(json, 'resource', 'azurerm_role_assignment');
    expect(assignments).toEqual([expect.objectContaining({ role_definition_name: 'Storage Blob Data Contributor', scope: expect.stringMatching(/^\$\{azurerm_storage_account\..*\.id\}$/), principal_type: 'ServicePrincipal' })]);
    expect(synth(azure())).toHaveResourceWithProperties(FederatedIdentityCredential, {
      audience: ['api://AzureADTokenExchange'],
      issuer: AZURE.oidcIssuerUrl,
      subject: 'system:serviceaccount:velero:velero',
    });
    expect(json.output.velero_backup_storage_location.value).toEqual({
      provider: 'azure',
      bucket: expect.stringMatching(/azurerm_storage_container/),
      config: expect.objectContaining({ useAAD: 'true', resourceGroup: 'rg-backups', storageAccountURI: expect.stringMatching(/primary_blob_endpoint/) }),
    });
    expect(JSON.stringify(json.output)).not.toMatch(/access_key|connection_string/);
  });

  test('disk snapshots: a custom role with exactly the plugin\'s disk actions on the node resource group', () => {
    // GIVEN disk snapshots on a node resource group WHEN synthesized THEN a custom role with exactly the disk actions, scoped to it
    const rg = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_prod';
    const json = parse(azure({ diskSnapshotResourceGroupId: rg }));
    const [role] = all(json, 'resource', 'azurerm_role_definition');
    expect(role.permissions).toEqual([
      {
        actions: [
          'Microsoft.Compute/disks/read',
          'Microsoft.Compute/disks/write',
          'Microsoft.Compute/disks/endGetAccess/action',
          'Microsoft.Compute/disks/beginGetAccess/action',
          'Microsoft.Compute/snapshots/read',
          'Microsoft.Compute/snapshots/write',
          'Microsoft.Compute/snapshots/delete',
        ],
      },
    ]);
    expect(role.assignable_scopes).toEqual([rg]);
    expect(synth(azure({ diskSnapshotResourceGroupId: rg }))).toHaveResourceWithProperties(RoleAssignment, { scope: rg });
  });

  test('matches the snapshot', () => {
    // GIVEN the default storage WHEN synthesized THEN the JSON is unchanged
    expect(parse(azure())).toMatchSnapshot();
  });

  test('fails on an invalid storage account name', () => {
    expect(() => azure({ storageAccountName: 'Velero-Backups' })).toThrow(/\[azure\/velero\] storageAccountName "Velero-Backups" is not a storage account name/);
  });
  test('fails on an invalid container name', () => {
    expect(() => azure({ containerName: 'a--b' })).toThrow(/containerName "a--b" is not a blob container name/);
  });
  test('fails on a missing resource group', () => {
    expect(() => azure({ resourceGroupName: '' })).toThrow(/resourceGroupName is missing/);
  });
  test('fails on a missing location', () => {
    expect(() => azure({ location: '' })).toThrow(/\[azure\/velero\] location is missing/);
  });
  test('fails on a non-https issuer', () => {
    expect(() => azure({ oidcIssuerUrl: 'http://issuer.example.com' })).toThrow(/oidcIssuerUrl "http:\/\/issuer.example.com" is not an https:\/\/ issuer URL/);
  });
  test('fails on a malformed disk-snapshot resource group id', () => {
    expect(() => azure({ diskSnapshotResourceGroupId: 'MC_prod' })).toThrow(/diskSnapshotResourceGroupId "MC_prod" is not a resource group id/);
  });
  test('fails on soft-delete days out of range', () => {
    expect(() => azure({ softDeleteRetentionDays: 400 })).toThrow(/softDeleteRetentionDays 400 is out of range; use a whole number of days from 1 to 365/);
  });
  test('fails on soft-delete days out of range with INVALID_DURATION', () => {
    // GIVEN 400 days WHEN the storage is built THEN the duration family code
    expect(thrownBy(() => azure({ softDeleteRetentionDays: 400 })).code).toBe(ErrorCode.INVALID_DURATION);
  });
  test('fails on an invalid subscription id', () => {
    expect(() => new AzurePlatformStack(Testing.app(), 'azure', { subscriptionId: 'prod' })).toThrow(/subscriptionId "prod" is not a subscription id/);
  });
  test('fails on an empty service account', () => {
    expect(() => azure({ serviceAccount: '' })).toThrow(/\[azure\/velero\] serviceAccount "" is empty/);
  });
});
