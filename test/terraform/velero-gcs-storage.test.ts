import { Testing } from 'cdktf';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { GcpPlatformStack, GcpVeleroCredentials } from '../../lib/terraform';
import { all, gcp, parse, synth } from './_velero-stacks';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

describe('VeleroGcsStorage', () => {
  test('hardens the bucket: uniform access, public access prevention, versioning, lifecycle', () => {
    // GIVEN a GCS bucket with defaults WHEN synthesized THEN uniform access, public access prevention, versioning and lifecycle
    expect(synth(gcp())).toHaveResourceWithProperties(StorageBucket, {
      name: 'infraflux-velero-gke',
      project: 'infraflux-prod',
      location: 'EU',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      force_destroy: false,
      versioning: { enabled: true },
      lifecycle_rule: [
        { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 30, with_state: 'ARCHIVED' } },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ],
    });
  });

  test('custom roles hold exactly the Velero GCP plugin permissions; storage on the bucket only', () => {
    // GIVEN disk snapshots on WHEN synthesized THEN custom roles with exactly the plugin's permissions, storage granted on the bucket only
    const json = parse(gcp({ diskSnapshots: true }));
    const roles = Object.fromEntries(all(json, 'resource', 'google_project_iam_custom_role').map((r) => [r.role_id, r.permissions]));
    expect(roles).toEqual({
      velero_velero_storage: ['storage.objects.create', 'storage.objects.delete', 'storage.objects.get', 'storage.objects.list'],
      velero_velero_snapshots: [
        'compute.disks.get',
        'compute.disks.create',
        'compute.disks.createSnapshot',
        'compute.snapshots.get',
        'compute.snapshots.create',
        'compute.snapshots.useReadOnly',
        'compute.snapshots.delete',
        'compute.zones.get',
      ],
      velero_velero_sign_blob: ['iam.serviceAccounts.signBlob'],
    });
    const [bucketBinding] = all(json, 'resource', 'google_storage_bucket_iam_member');
    expect(bucketBinding.role).toMatch(/storage-role.*\.name/);
    const projectBindings = all(json, 'resource', 'google_project_iam_member');
    expect(projectBindings).toHaveLength(1);
    expect(projectBindings[0].role).toMatch(/compute-role.*\.name/);
    // without disk snapshots there is no project-level grant at all
    expect(all(parse(gcp()), 'resource', 'google_project_iam_member')).toEqual([]);
  });

  test('Workload Identity binds exactly velero/velero and needs no key', () => {
    // GIVEN Workload Identity (the default) WHEN synthesized THEN one binding for velero/velero and no key
    const stack = gcp();
    expect(synth(stack)).toHaveResourceWithProperties(ServiceAccountIamMember, { role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:infraflux-prod.svc.id.goog[velero/velero]' });
    const json = parse(stack);
    expect(all(json, 'resource', 'google_service_account_key')).toEqual([]);
    expect(json.output.velero_backup_storage_location.value).toEqual({ provider: 'gcp', bucket: expect.stringMatching(/google_storage_bucket/), config: { serviceAccount: expect.stringMatching(/google_service_account\..*\.email/) } });
  });

  test('a service-account key is opt-in and only a sensitive output', () => {
    // GIVEN service-account-key credentials WHEN synthesized THEN the key is only in a sensitive output
    const stack = gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() });
    expect(synth(stack)).toHaveResource(ServiceAccountKey);
    const json = parse(stack);
    expect(json.output.velero_credentials).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{base64decode\(google_service_account_key\..*\.private_key\)\}$/) }));
    expect(all(json, 'resource', 'google_service_account_iam_member')).toEqual([]);
  });

  test('matches the snapshot (Workload Identity and key)', () => {
    // GIVEN both credential kinds WHEN synthesized THEN the JSON is unchanged
    expect(parse(gcp({ diskSnapshots: true }))).toMatchSnapshot();
    expect(parse(gcp({ credentials: GcpVeleroCredentials.serviceAccountKey() }))).toMatchSnapshot();
  });

  test('fails on an invalid bucket name', () => {
    expect(() => gcp({ bucketName: 'google-velero' })).toThrow(/\[gcp\/velero\] bucketName "google-velero" is not a valid GCS bucket name/);
  });
  test('fails on an invalid project id', () => {
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'Prod', region: 'europe-west3' }).addVeleroStorage('v', { bucketName: 'infraflux-velero', location: 'EU' })).toThrow(/projectId "Prod" is not a Google Cloud project id/);
  });
  test('fails on a missing location', () => {
    expect(() => gcp({ location: '' })).toThrow(/\[gcp\/velero\] location is missing/);
  });
  test('fails on a missing region', () => {
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'infraflux-prod', region: '' })).toThrow(/\[gcp\] region is missing/);
  });
  test('fails on an invalid service account id', () => {
    expect(() => gcp({ serviceAccountId: 'v' })).toThrow(/serviceAccountId "v" is not a service account id/);
  });
  test('fails on an invalid workload pool', () => {
    expect(() => gcp({ credentials: GcpVeleroCredentials.workloadIdentity('my-pool') })).toThrow(/workloadPool "my-pool" is not a GKE workload pool/);
  });
  test('fails on an empty namespace', () => {
    expect(() => gcp({ namespace: '' })).toThrow(/\[gcp\/velero\] namespace "" is empty/);
  });
});
