/**
 * The join of the two outputs: every BackupStorageLocation the cdk8s output configures (the Velero
 * chart's `configuration.backupStorageLocation[]` in a values ConfigMap, or a BackupStorageLocation
 * object) must name a bucket that a Terraform stack creates (`aws_s3_bucket`,
 * `google_storage_bucket`, `azurerm_storage_container` in its account). Plain JSON on both sides:
 * no CDKTF module is loaded (decision 0072).
 */
import { parseAllDocuments } from 'yaml';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** A bucket a BackupStorageLocation uses. */
export interface BackupLocationUse {
  /** Where it was found (e.g. `prod-aws/releases/velero/configmap-velero-values.yaml`). */
  readonly source: string;
  /** BSL provider: `aws`, `gcp` or `azure`. */
  readonly provider: string;
  /** Bucket or blob container. */
  readonly bucket: string;
  /** Azure: the storage account (`config.storageAccount`). */
  readonly storageAccount?: string;
}

/** A bucket a Terraform stack creates. */
export interface CreatedBucket {
  /** Stack name. */
  readonly stack: string;
  readonly provider: string;
  readonly bucket: string;
  readonly storageAccount?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `provider:bucket` (S3, GCS) or `azure:<account>/<container>`: what must match. */
export function bucketKey(b: { provider: string; bucket: string; storageAccount?: string }): string {
  return b.provider === 'azure' ? `azure:${b.storageAccount ?? '?'}/${b.bucket}` : `${b.provider}:${b.bucket}`;
}

function usesOfValues(source: string, values: unknown): BackupLocationUse[] {
  if (!isObject(values) || values.backupsEnabled === false) return [];
  const configuration = values.configuration;
  const locations = isObject(configuration) && Array.isArray(configuration.backupStorageLocation) ? configuration.backupStorageLocation : [];
  return locations.filter(isObject).flatMap((l) => {
    const provider = str(l.provider);
    const bucket = str(l.bucket);
    if (!provider || !bucket) return [];
    const account = isObject(l.config) ? str(l.config.storageAccount) : undefined;
    return [{ source, provider, bucket, ...(account ? { storageAccount: account } : {}) }];
  });
}

/**
 * The buckets named by the manifests of one output file: values ConfigMaps whose `values.yaml`
 * has a Velero `configuration.backupStorageLocation`, and BackupStorageLocation objects.
 */
export function backupLocationsInManifest(source: string, text: string): BackupLocationUse[] {
  const out: BackupLocationUse[] = [];
  for (const doc of parseAllDocuments(text)) {
    const o: unknown = doc.toJS();
    if (!isObject(o)) continue;
    if (o.kind === 'ConfigMap' && isObject(o.data) && typeof o.data['values.yaml'] === 'string') {
      for (const v of parseAllDocuments(o.data['values.yaml'])) out.push(...usesOfValues(source, v.toJS()));
    }
    if (o.kind === 'BackupStorageLocation' && str(o.apiVersion)?.startsWith('velero.io/') && isObject(o.spec)) {
      const spec = o.spec;
      const bucket = isObject(spec.objectStorage) ? str(spec.objectStorage.bucket) : undefined;
      const provider = str(spec.provider);
      const account = isObject(spec.config) ? str(spec.config.storageAccount) : undefined;
      if (provider && bucket) out.push({ source, provider, bucket, ...(account ? { storageAccount: account } : {}) });
    }
  }
  return out;
}

/** `${azurerm_storage_account.<name>.id}` → `<name>`. */
function resourceNameOf(reference: unknown, type: string): string | undefined {
  const m = typeof reference === 'string' ? new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.id\\}$`).exec(reference) : null;
  return m?.[1];
}

/** The buckets one synthesized Terraform stack (`cdk.tf.json`) creates. */
export function bucketsOfTerraformStack(stack: string, json: unknown): CreatedBucket[] {
  const resource = isObject(json) && isObject(json.resource) ? json.resource : {};
  const of = (type: string): Json => (isObject(resource[type]) ? resource[type] : {});
  const out: CreatedBucket[] = [];
  for (const r of Object.values(of('aws_s3_bucket'))) if (isObject(r) && str(r.bucket)) out.push({ stack, provider: 'aws', bucket: str(r.bucket)! });
  for (const r of Object.values(of('google_storage_bucket'))) if (isObject(r) && str(r.name)) out.push({ stack, provider: 'gcp', bucket: str(r.name)! });
  const accounts = of('azurerm_storage_account');
  for (const r of Object.values(of('azurerm_storage_container'))) {
    if (!isObject(r) || !str(r.name)) continue;
    const accountResource = resourceNameOf(r.storage_account_id, 'azurerm_storage_account');
    const account = accountResource && isObject(accounts[accountResource]) ? str(accounts[accountResource].name) : undefined;
    out.push({ stack, provider: 'azure', bucket: str(r.name)!, ...(account ? { storageAccount: account } : {}) });
  }
  return out.sort((a, b) => bucketKey(a).localeCompare(bucketKey(b)));
}

/**
 * Throws {@link ErrorCode.BACKUP_BUCKET_UNKNOWN} listing every location whose bucket no stack
 * creates (and every bucket named by no location, as a hint in the message when any is missing).
 */
export function checkBackupBucketsCreated(uses: readonly BackupLocationUse[], created: readonly CreatedBucket[]): void {
  const known = new Map(created.map((c) => [bucketKey(c), c]));
  const missing = uses.filter((u) => !known.has(bucketKey(u)));
  if (missing.length === 0) return;
  const lines = missing.map((u) => `${u.source}: ${bucketKey(u)}`);
  throw new InfraFluxError(
    ErrorCode.BACKUP_BUCKET_UNKNOWN,
    missing[0]!.source,
    `BackupStorageLocation bucket(s) no Terraform stack creates: ${lines.join('; ')}. The stacks create ${[...known.keys()].sort().join(', ') || 'no bucket'}; take the target from the storage construct (storageTarget) instead of naming a bucket by hand`,
  );
}
