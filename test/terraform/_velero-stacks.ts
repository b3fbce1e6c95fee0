/**
 * Stacks and helpers shared by the Velero storage tests (velero-s3-storage, velero-gcs-storage,
 * velero-azure-blob-storage and velero-storage .test.ts): one platform stack per cloud with one
 * Velero storage, synthesized with cdktf's Testing.
 */
import { Testing } from 'cdktf';
import {
  AwsPlatformStack,
  AwsVeleroCredentials,
  AzurePlatformStack,
  GcpPlatformStack,
  VeleroAzureBlobStorageProps,
  VeleroGcsStorageProps,
  VeleroS3StorageProps,
} from '../../lib/terraform';
import { PackProvider, PinnedProviderSchemas } from '../../scripts/lib/provider-schema';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const OIDC_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const OIDC_HOST = 'oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

export function aws(props: Partial<VeleroS3StorageProps> = {}): AwsPlatformStack {
  const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
  stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-prod', credentials: AwsVeleroCredentials.irsa(OIDC_ARN), ...props });
  return stack;
}
export function gcp(props: Partial<VeleroGcsStorageProps> = {}): GcpPlatformStack {
  const stack = new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'infraflux-prod', region: 'europe-west3' });
  stack.addVeleroStorage('velero', { bucketName: 'infraflux-velero-gke', location: 'EU', ...props });
  return stack;
}
export const AZURE: VeleroAzureBlobStorageProps = {
  storageAccountName: 'infrafluxvelero',
  resourceGroupName: 'rg-backups',
  location: 'westeurope',
  oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/',
};
export function azure(props: Partial<VeleroAzureBlobStorageProps> = {}): AzurePlatformStack {
  const stack = new AzurePlatformStack(Testing.app(), 'azure', {});
  stack.addVeleroStorage('velero', { ...AZURE, ...props });
  return stack;
}
export const synth = (stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): string => Testing.synth(stack, true);
export const parse = (stack: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): Json => JSON.parse(synth(stack)) as Json;
export const all = (json: Json, section: 'resource' | 'data', type: string): Json[] => Object.values(json[section]?.[type] ?? {}) as Json[];
/** The policy document whose construct id is `child` (logical ids are `<parent>_<child>_<hash>`). */
export const policyNamed = (json: Json, child: string): Json =>
  Object.entries(json.data.aws_iam_policy_document as Json).find(([k]) => k.includes(`_${child.replace(/^\//, '')}_`))![1] as Json;

/**
 * Sensitive attributes of the cloud resources these constructs use, as the providers' schemas mark
 * them (hashicorp/aws 6.25.0 `aws_iam_access_key.secret`/`ses_smtp_password_v4`, hashicorp/google
 * 6.50.0 `google_service_account_key.private_key`, hashicorp/azurerm 4.55.0 storage-account keys and
 * connection strings). The pack has no schema summaries for these providers, so the list is kept here.
 */
export const SENSITIVE: PackProvider[] = [
  { provider: 'hashicorp/aws', localName: 'aws', version: '6.25.0', dataSources: {}, resources: { aws_iam_access_key: { attributes: { secret: { type: 'string', computed: true, sensitive: true }, ses_smtp_password_v4: { type: 'string', computed: true, sensitive: true } } } } },
  { provider: 'hashicorp/google', localName: 'google', version: '6.50.0', dataSources: {}, resources: { google_service_account_key: { attributes: { private_key: { type: 'string', computed: true, sensitive: true } } } } },
  {
    provider: 'hashicorp/azurerm',
    localName: 'azurerm',
    version: '4.55.0',
    dataSources: {},
    resources: {
      azurerm_storage_account: {
        attributes: Object.fromEntries(
          ['primary_access_key', 'secondary_access_key', 'primary_connection_string', 'secondary_connection_string', 'primary_blob_connection_string', 'secondary_blob_connection_string'].map((a) => [a, { type: 'string', computed: true, sensitive: true }]),
        ),
      },
    },
  },
];
export const cloudSchemas = new PinnedProviderSchemas(SENSITIVE);
