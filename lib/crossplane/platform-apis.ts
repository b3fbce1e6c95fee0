/**
 * InfraFlux's three platform APIs (issue 13 point 4): a bucket, a database and a DNS record, each
 * an XRD in `platform.infraflux.io` with one Pipeline Composition (function-patch-and-transform)
 * over the AWS provider family v2 (namespaced managed resources in `*.aws.m.upbound.io`), with
 * secure defaults (encryption, no public access, deletion protection). Decision 0074.
 */
import { CompositeResourceDefinition, Composition, ComposedResource, CrossplaneApis, patchAndTransform } from './apis';
import { CrossplaneFunction, CrossplanePackages, CrossplaneProvider } from './packages';
import { CROSSPLANE_PACKAGES } from './versions';

/** API group of the platform APIs. */
export const PLATFORM_API_GROUP = 'platform.infraflux.io';
/** Version of the platform APIs. */
export const PLATFORM_API_VERSION = 'v1alpha1';

/** One platform API: its XRD and Composition. */
export interface PlatformApi {
  readonly xrd: CompositeResourceDefinition;
  readonly composition: Composition;
}

/** The AWS providers and the function the platform APIs need, installed into a {@link CrossplanePackages}. */
export interface AwsPlatformPackages {
  /** provider-family-aws: serves the `aws.m.upbound.io` ClusterProviderConfig. */
  readonly family: CrossplaneProvider;
  readonly s3: CrossplaneProvider;
  readonly iam: CrossplaneProvider;
  readonly rds: CrossplaneProvider;
  readonly route53: CrossplaneProvider;
  readonly patchAndTransform: CrossplaneFunction;
}

/**
 * Installs the pinned packages of the platform APIs: the AWS family and its S3, IAM, RDS and
 * Route 53 providers (each activating only its own managed resources) and function-patch-and-transform.
 */
export function addAwsPlatformPackages(packages: CrossplanePackages, props: { readonly serviceAccountAnnotations?: Readonly<Record<string, string>> } = {}): AwsPlatformPackages {
  const sa = props.serviceAccountAnnotations ? { serviceAccountAnnotations: props.serviceAccountAnnotations } : {};
  return {
    family: packages.addProvider('ProviderFamilyAws', { package: CROSSPLANE_PACKAGES.providerFamilyAws, providerConfig: { apiVersion: 'aws.m.upbound.io/v1beta1', kind: 'ClusterProviderConfig' }, ...sa }),
    s3: packages.addProvider('ProviderAwsS3', { package: CROSSPLANE_PACKAGES.providerAwsS3, activations: ['*.s3.aws.m.upbound.io'], ...sa }),
    iam: packages.addProvider('ProviderAwsIam', { package: CROSSPLANE_PACKAGES.providerAwsIam, activations: ['*.iam.aws.m.upbound.io'], ...sa }),
    rds: packages.addProvider('ProviderAwsRds', { package: CROSSPLANE_PACKAGES.providerAwsRds, activations: ['*.rds.aws.m.upbound.io'], ...sa }),
    route53: packages.addProvider('ProviderAwsRoute53', { package: CROSSPLANE_PACKAGES.providerAwsRoute53, activations: ['*.route53.aws.m.upbound.io'], ...sa }),
    patchAndTransform: packages.addFunction('FunctionPatchAndTransform', { package: CROSSPLANE_PACKAGES.functionPatchAndTransform }),
  };
}

export interface PlatformApisProps {
  /** function-patch-and-transform, installed on the same cluster. */
  readonly patchAndTransform: CrossplaneFunction;
  /**
   * The ClusterProviderConfig the managed resources use.
   * @default 'default'
   */
  readonly providerConfigName?: string;
}

/** The three platform APIs of a cluster. */
export interface PlatformApis {
  readonly bucket: PlatformApi;
  readonly database: PlatformApi;
  readonly dnsRecord: PlatformApi;
}

const fromXr = (from: string, to: string, transforms?: readonly Record<string, unknown>[]): Record<string, unknown> => ({ type: 'FromCompositeFieldPath', fromFieldPath: from, toFieldPath: to, ...(transforms ? { transforms } : {}) });
const fmt = (f: string): Record<string, unknown> => ({ type: 'string', string: { type: 'Format', fmt: f } });
/** `<namespace>-<name>` of the XR: the bucket's global name (S3 names are global). */
const combineNsName = (to: string, format = '%s-%s', times = 1): Record<string, unknown> => ({
  type: 'CombineFromComposite',
  combine: {
    variables: Array.from({ length: times }, () => [{ fromFieldPath: 'metadata.namespace' }, { fromFieldPath: 'metadata.name' }]).flat(),
    strategy: 'string',
    string: { fmt: format },
  },
  toFieldPath: to,
});

const REGION = { type: 'string', description: 'AWS region.', default: 'eu-central-1', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' };

/** Adds the bucket, database and DNS-record APIs (XRD + Composition each) to `apis`. */
export function addPlatformApis(apis: CrossplaneApis, props: PlatformApisProps): PlatformApis {
  const pc = { kind: 'ClusterProviderConfig', name: props.providerConfigName ?? 'default' };
  const step = (resources: readonly ComposedResource[]) => [{ step: 'patch-and-transform', function: props.patchAndTransform, input: patchAndTransform(resources) }];
  const mr = (apiVersion: string, kind: string, forProvider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion, kind, spec: { forProvider, providerConfigRef: pc, ...extra } });

  // --- Bucket: S3 bucket (encrypted, no public access, optional versioning) and an IAM user with an access key for it.
  const bucketXrd = new CompositeResourceDefinition(apis, 'BucketApi', {
    group: PLATFORM_API_GROUP,
    version: PLATFORM_API_VERSION,
    kind: 'Bucket',
    connectionSecretSuffix: 'bucket',
    specSchema: {
      type: 'object',
      properties: {
        region: REGION,
        versioning: { type: 'boolean', description: 'Keep every version of every object.', default: true },
      },
    },
    statusSchema: { type: 'object', properties: { bucketName: { type: 'string' } } },
  });
  const bucketName = combineNsName('metadata.annotations[crossplane.io/external-name]');
  const bucketComposition = new Composition(apis, 'BucketComposition', {
    xrd: bucketXrd,
    pipeline: step([
      { name: 'bucket', base: mr('s3.aws.m.upbound.io/v1beta1', 'Bucket', {}), patches: [bucketName, fromXr('spec.region', 'spec.forProvider.region'), { type: 'ToCompositeFieldPath', fromFieldPath: 'metadata.annotations[crossplane.io/external-name]', toFieldPath: 'status.bucketName' }] },
      {
        name: 'encryption',
        base: mr('s3.aws.m.upbound.io/v1beta1', 'BucketServerSideEncryptionConfiguration', { bucketSelector: { matchControllerRef: true }, rule: [{ applyServerSideEncryptionByDefault: [{ sseAlgorithm: 'aws:kms' }], bucketKeyEnabled: true }] }),
        patches: [fromXr('spec.region', 'spec.forProvider.region')],
      },
      {
        name: 'public-access-block',
        base: mr('s3.aws.m.upbound.io/v1beta1', 'BucketPublicAccessBlock', { bucketSelector: { matchControllerRef: true }, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        patches: [fromXr('spec.region', 'spec.forProvider.region')],
      },
      {
        name: 'versioning',
        base: mr('s3.aws.m.upbound.io/v1beta1', 'BucketVersioning', { bucketSelector: { matchControllerRef: true }, versioningConfiguration: [{ status: 'Enabled' }] }),
        patches: [fromXr('spec.region', 'spec.forProvider.region'), fromXr('spec.versioning', 'spec.forProvider.versioningConfiguration[0].status', [{ type: 'convert', convert: { toType: 'string' } }, { type: 'map', map: { true: 'Enabled', false: 'Suspended' } }])],
      },
      { name: 'user', base: mr('iam.aws.m.upbound.io/v1beta1', 'User', {}) },
      {
        name: 'policy',
        base: mr('iam.aws.m.upbound.io/v1beta1', 'UserPolicy', { userSelector: { matchControllerRef: true } }),
        patches: [
          combineNsName(
            'spec.forProvider.policy',
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::%s-%s"]},{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::%s-%s/*"]}]}',
            2,
          ),
        ],
      },
      { name: 'access-key', base: mr('iam.aws.m.upbound.io/v1beta1', 'AccessKey', { userSelector: { matchControllerRef: true } }), patches: [fromXr('metadata.name', 'spec.writeConnectionSecretToRef.name', [fmt('%s-bucket')])] },
    ]),
  });

  // --- Database: an RDS PostgreSQL instance, encrypted, private, with deletion protection; its password generated by the provider.
  const databaseXrd = new CompositeResourceDefinition(apis, 'DatabaseApi', {
    group: PLATFORM_API_GROUP,
    version: PLATFORM_API_VERSION,
    kind: 'Database',
    connectionSecretSuffix: 'db',
    specSchema: {
      type: 'object',
      required: ['subnetGroupName'],
      properties: {
        region: REGION,
        engineVersion: { type: 'string', description: 'PostgreSQL major version.', enum: ['16', '17'], default: '17' },
        instanceClass: { type: 'string', description: 'RDS instance class.', default: 'db.t4g.micro', pattern: '^db\\.[a-z0-9]+\\.[a-z0-9]+$' },
        storageGiB: { type: 'integer', description: 'Allocated storage in GiB.', minimum: 20, maximum: 1024, default: 20 },
        subnetGroupName: { type: 'string', description: 'An existing DB subnet group (private subnets of the cluster VPC).' },
        deletionProtection: { type: 'boolean', default: true },
      },
    },
  });
  const databaseComposition = new Composition(apis, 'DatabaseComposition', {
    xrd: databaseXrd,
    pipeline: step([
      {
        name: 'instance',
        base: mr(
          'rds.aws.m.upbound.io/v1beta1',
          'Instance',
          { engine: 'postgres', username: 'app', autoGeneratePassword: true, storageEncrypted: true, publiclyAccessible: false, backupRetentionPeriod: 7, skipFinalSnapshot: false, copyTagsToSnapshot: true, passwordSecretRef: { key: 'password' } },
        ),
        patches: [
          fromXr('spec.region', 'spec.forProvider.region'),
          fromXr('spec.engineVersion', 'spec.forProvider.engineVersion'),
          fromXr('spec.instanceClass', 'spec.forProvider.instanceClass'),
          fromXr('spec.storageGiB', 'spec.forProvider.allocatedStorage'),
          fromXr('spec.subnetGroupName', 'spec.forProvider.dbSubnetGroupName'),
          fromXr('spec.deletionProtection', 'spec.forProvider.deletionProtection'),
          fromXr('metadata.name', 'spec.forProvider.passwordSecretRef.name', [fmt('%s-db-password')]),
          fromXr('metadata.name', 'spec.forProvider.finalSnapshotIdentifier', [fmt('%s-final')]),
          fromXr('metadata.name', 'spec.writeConnectionSecretToRef.name', [fmt('%s-db')]),
        ],
      },
    ]),
  });

  // --- DNS record: a Route 53 record in an existing hosted zone.
  const dnsXrd = new CompositeResourceDefinition(apis, 'DnsRecordApi', {
    group: PLATFORM_API_GROUP,
    version: PLATFORM_API_VERSION,
    kind: 'DnsRecord',
    specSchema: {
      type: 'object',
      required: ['zoneId', 'name', 'type', 'values'],
      properties: {
        region: REGION,
        zoneId: { type: 'string', description: 'Route 53 hosted zone id.', pattern: '^Z[A-Z0-9]+$' },
        name: { type: 'string', description: 'Fully qualified record name.' },
        type: { type: 'string', enum: ['A', 'AAAA', 'CNAME', 'TXT'] },
        values: { type: 'array', items: { type: 'string' }, minItems: 1 },
        ttlSeconds: { type: 'integer', minimum: 60, maximum: 86400, default: 300 },
      },
    },
  });
  const dnsComposition = new Composition(apis, 'DnsRecordComposition', {
    xrd: dnsXrd,
    pipeline: step([
      {
        name: 'record',
        base: mr('route53.aws.m.upbound.io/v1beta1', 'Record', {}),
        patches: [
          fromXr('spec.region', 'spec.forProvider.region'),
          fromXr('spec.zoneId', 'spec.forProvider.zoneId'),
          fromXr('spec.name', 'spec.forProvider.name'),
          fromXr('spec.type', 'spec.forProvider.type'),
          fromXr('spec.values', 'spec.forProvider.records'),
          fromXr('spec.ttlSeconds', 'spec.forProvider.ttl'),
        ],
      },
    ]),
  });

  return {
    bucket: { xrd: bucketXrd, composition: bucketComposition },
    database: { xrd: databaseXrd, composition: databaseComposition },
    dnsRecord: { xrd: dnsXrd, composition: dnsComposition },
  };
}
