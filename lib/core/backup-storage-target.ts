/**
 * Where a cluster's backups go: the value the Terraform storage constructs export
 * (`VeleroS3Storage.storageTarget`, `VeleroGcsStorage.storageTarget`,
 * `VeleroAzureBlobStorage.storageTarget`, lib/terraform) and `VeleroBackup` consumes (lib/backup).
 * It lives in lib/core because lib/terraform and the cdk8s folders may not import each other
 * (docs/architecture.md, "Folder rules"): one source of truth for bucket names, regions, accounts
 * and the credential model, never a hand-copied name (decision 0072).
 *
 * Every field is a plain literal known at synth: a Terraform reference (`${TfToken[...]}`) is
 * refused, because the cdk8s output could only write the placeholder.
 */
import type { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from './errors';

/** The object store and the Velero provider plugin that talks to it. */
export class BackupProvider {
  /** Amazon S3 (plugin `velero-plugin-for-aws`, BSL provider `aws`). */
  public static readonly AWS = new BackupProvider('aws');
  /** Google Cloud Storage (plugin `velero-plugin-for-gcp`, BSL provider `gcp`). */
  public static readonly GCP = new BackupProvider('gcp');
  /** Azure Blob Storage (plugin `velero-plugin-for-microsoft-azure`, BSL provider `azure`). */
  public static readonly AZURE = new BackupProvider('azure');
  private constructor(
    /** The BackupStorageLocation `spec.provider`. */
    public readonly value: string,
  ) {}
}

/** How the Velero server authenticates to the object store (see {@link BackupCredentialModel}). */
export enum BackupCredentialKind {
  /** A credentials file (key `cloud` of a Secret in Velero's namespace), produced by Terraform as a sensitive output. */
  SECRET_FILE = 'secret-file',
  /** A workload identity: annotations on the Velero server's ServiceAccount, no Secret at all. */
  WORKLOAD_IDENTITY = 'workload-identity',
}

/** How Velero authenticates: a credentials file delivered as a Secret, or a workload identity. */
export class BackupCredentialModel {
  /**
   * A static credentials file (AWS `credentials-velero`, a GCP service-account JSON key, or an
   * Azure `AZURE_*=` env file) that the Terraform stack writes to the sensitive output
   * `terraformOutput`. The cluster gets it as the key `cloud` of a Secret delivered by the secrets
   * constructs (an ExternalSecret or SealedSecret): never in dist/ or the Terraform JSON.
   * @param terraformOutput name of the sensitive Terraform output holding the file
   * @param backendSecretName the secret-manager entry Terraform also writes the file to (JSON
   *   `{"cloud": "<file>"}`), for an ExternalSecret to read; undefined when the operator copies it
   */
  public static secretFile(terraformOutput: string, backendSecretName?: string): BackupCredentialModel {
    return new BackupCredentialModel(BackupCredentialKind.SECRET_FILE, terraformOutput, {}, backendSecretName);
  }

  /**
   * A workload identity: the annotations go on the Velero server's ServiceAccount
   * (`serviceAccount.server.annotations`), and the chart creates no credentials Secret.
   * @param serviceAccountAnnotations e.g. `{ 'iam.gke.io/gcp-service-account': 'velero@p.iam.gserviceaccount.com' }`
   */
  public static workloadIdentity(serviceAccountAnnotations: Readonly<Record<string, string>>): BackupCredentialModel {
    return new BackupCredentialModel(BackupCredentialKind.WORKLOAD_IDENTITY, undefined, { ...serviceAccountAnnotations });
  }

  private constructor(
    public readonly kind: BackupCredentialKind,
    /** The sensitive Terraform output with the credentials file ({@link BackupCredentialKind.SECRET_FILE}). */
    public readonly terraformOutput: string | undefined,
    /** ServiceAccount annotations ({@link BackupCredentialKind.WORKLOAD_IDENTITY}; empty otherwise). */
    public readonly serviceAccountAnnotations: Readonly<Record<string, string>>,
    /** The secret-manager entry holding the file as property `cloud`, when Terraform writes one. */
    public readonly backendSecretName?: string,
  ) {}
}

/** Common fields of every target. */
export interface BackupStorageTargetBaseProps {
  /**
   * Key prefix inside the bucket (Velero `spec.objectStorage.prefix`), for sharing a bucket.
   * @default - the bucket root (one bucket per cluster, the Velero FAQ's advice)
   * @see https://velero.io/docs/v1.18/locations/
   */
  readonly prefix?: string;
  /** Credentials file or workload identity. */
  readonly credentials: BackupCredentialModel;
}

export interface S3TargetProps extends BackupStorageTargetBaseProps {
  /** S3 bucket name. */
  readonly bucket: string;
  /** AWS region of the bucket (BSL `config.region`). */
  readonly region: string;
}

export interface GcsTargetProps extends BackupStorageTargetBaseProps {
  /** GCS bucket name. */
  readonly bucket: string;
}

export interface AzureBlobTargetProps extends BackupStorageTargetBaseProps {
  /** Blob container (the BSL `bucket`). */
  readonly container: string;
  /** Resource group of the storage account (BSL `config.resourceGroup`). */
  readonly resourceGroup: string;
  /** Storage account name (BSL `config.storageAccount`). */
  readonly storageAccount: string;
  /**
   * Further BSL `config` entries (`useAAD`, `storageAccountKeyEnvVar`, `subscriptionId`...).
   * @default {}
   * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure/blob/main/backupstoragelocation.md
   */
  readonly config?: Readonly<Record<string, string>>;
}

/** A Terraform/CDK token: a value the cdk8s output cannot know. */
const TOKEN = /\$\{[^}]*\}/;

/**
 * One backup storage location: provider, bucket, `config` and credential model. Made by the
 * Terraform storage constructs from their props (so the names are the ones Terraform creates), or
 * by hand with the static factories for a bucket no stack of this repository manages.
 */
export class BackupStorageTarget {
  /**
   * Amazon S3.
   * @see https://github.com/vmware-tanzu/velero-plugin-for-aws/blob/main/backupstoragelocation.md
   */
  public static s3(props: S3TargetProps): BackupStorageTarget {
    return new BackupStorageTarget(BackupProvider.AWS, props.bucket, props.prefix, { region: props.region }, props.credentials);
  }

  /**
   * Google Cloud Storage. With a workload identity the plugin signs URLs as the Google service
   * account named by the ServiceAccount annotation.
   * @see https://github.com/vmware-tanzu/velero-plugin-for-gcp/blob/main/backupstoragelocation.md
   */
  public static gcs(props: GcsTargetProps): BackupStorageTarget {
    return new BackupStorageTarget(BackupProvider.GCP, props.bucket, props.prefix, {}, props.credentials);
  }

  /**
   * Azure Blob Storage.
   * @see https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure/blob/main/backupstoragelocation.md
   */
  public static azureBlob(props: AzureBlobTargetProps): BackupStorageTarget {
    return new BackupStorageTarget(
      BackupProvider.AZURE,
      props.container,
      props.prefix,
      { resourceGroup: props.resourceGroup, storageAccount: props.storageAccount, ...props.config },
      props.credentials,
    );
  }

  /** BSL `config`, keys sorted (deterministic output). */
  public readonly config: Readonly<Record<string, string>>;

  private constructor(
    public readonly provider: BackupProvider,
    /** Bucket (S3/GCS) or blob container (Azure): the BSL `spec.objectStorage.bucket`. */
    public readonly bucket: string,
    public readonly prefix: string | undefined,
    config: Readonly<Record<string, string>>,
    public readonly credentials: BackupCredentialModel,
  ) {
    this.config = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * The fields that are not literals (Terraform references), as `what: value`. A consumer that
   * writes them into manifests refuses a target with any.
   */
  public unresolvedFields(): string[] {
    const out: string[] = [];
    const check = (what: string, v: string | undefined) => {
      if (v !== undefined && TOKEN.test(v)) out.push(`${what} ${JSON.stringify(v)}`);
    };
    check('bucket', this.bucket);
    check('prefix', this.prefix);
    for (const [k, v] of Object.entries(this.config)) check(`config.${k}`, v);
    for (const [k, v] of Object.entries(this.credentials.serviceAccountAnnotations)) check(`serviceAccount annotation ${k}`, v);
    return out;
  }

  /**
   * Throws {@link ErrorCode.INVALID_PROP} for `scope` when a field is empty or a Terraform
   * reference; returns the target.
   */
  public validate(scope: IConstruct | string): this {
    if (this.bucket.trim() === '') throw new InfraFluxError(ErrorCode.INVALID_PROP, scope, `backup target (${this.provider.value}) has an empty bucket; give the bucket or container name`);
    if (this.prefix !== undefined && (this.prefix === '' || this.prefix.startsWith('/') || this.prefix.endsWith('/'))) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, scope, `backup target prefix "${this.prefix}" must be non-empty without a leading or trailing '/'`);
    }
    const unresolved = this.unresolvedFields();
    if (unresolved.length > 0) {
      throw new InfraFluxError(
        ErrorCode.INVALID_PROP,
        scope,
        `backup target ${this.provider.value}/${this.bucket} has Terraform references the manifests cannot carry: ${unresolved.join(', ')}; use literal names (the storage constructs export literals for every name they are given)`,
      );
    }
    return this;
  }
}
