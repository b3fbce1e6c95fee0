import { BackupCredentialKind, BackupCredentialModel, BackupProvider, BackupStorageTarget } from '../../lib/core/backup-storage-target';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';

const FILE = BackupCredentialModel.secretFile('velero_x_credentials');

describe('BackupStorageTarget', () => {
  test('s3: provider aws, the region in config', () => {
    // GIVEN / WHEN
    const t = BackupStorageTarget.s3({ bucket: 'b1', region: 'eu-central-1', credentials: FILE });
    // THEN
    expect([t.provider, t.bucket, t.config, t.prefix]).toEqual([BackupProvider.AWS, 'b1', { region: 'eu-central-1' }, undefined]);
    expect(t.credentials.kind).toBe(BackupCredentialKind.SECRET_FILE);
    expect(t.credentials.terraformOutput).toBe('velero_x_credentials');
    expect(t.validate('t')).toBe(t);
  });

  test('azureBlob: container as bucket, account and group in a sorted config', () => {
    const t = BackupStorageTarget.azureBlob({ container: 'velero', resourceGroup: 'rg', storageAccount: 'acct', config: { useAAD: 'true', storageAccountURI: 'https://acct.blob.core.windows.net/' }, credentials: FILE });
    expect(t.provider.value).toBe('azure');
    expect(Object.keys(t.config)).toEqual(['resourceGroup', 'storageAccount', 'storageAccountURI', 'useAAD']);
  });

  test('gcs with a workload identity keeps the annotations (a copy)', () => {
    const annotations = { 'iam.gke.io/gcp-service-account': 'v@p.iam.gserviceaccount.com' };
    const t = BackupStorageTarget.gcs({ bucket: 'g', prefix: 'cluster-a', credentials: BackupCredentialModel.workloadIdentity(annotations) });
    annotations['iam.gke.io/gcp-service-account'] = 'changed';
    expect(t.credentials.serviceAccountAnnotations).toEqual({ 'iam.gke.io/gcp-service-account': 'v@p.iam.gserviceaccount.com' });
    expect(t.validate('t').prefix).toBe('cluster-a');
  });

  test('fails when a field is a Terraform reference', () => {
    const t = BackupStorageTarget.gcs({ bucket: 'g', credentials: BackupCredentialModel.workloadIdentity({ a: '${TfToken[TOKEN.3]}' }) });
    expect(t.unresolvedFields()).toEqual(['serviceAccount annotation a "${TfToken[TOKEN.3]}"']);
    const e = thrownBy(() => t.validate('fleet/x/Velero'));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('fleet/x/Velero');
  });

  test('fails with an empty bucket or a prefix with slashes', () => {
    expect(thrownBy(() => BackupStorageTarget.s3({ bucket: ' ', region: 'eu-central-1', credentials: FILE }).validate('t')).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrownBy(() => BackupStorageTarget.s3({ bucket: 'b', region: 'eu-central-1', prefix: '/a/', credentials: FILE }).validate('t')).message).toMatch(/prefix "\/a\/"/);
  });
});
