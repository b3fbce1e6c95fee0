/**
 * Terraform stacks for the cloud resources the platform needs (Velero storage, optional DNS
 * zones) on AWS, Google Cloud and Azure. Each stack configures its provider without credentials:
 * they come from the environment (AWS_PROFILE / AWS_* , GOOGLE_APPLICATION_CREDENTIALS or
 * `gcloud auth application-default login`, ARM_* or `az login`), so the synthesized JSON holds
 * no secret. Backends are local with relative paths (deterministic JSON).
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';
import { addLocalStateBackend } from './_backend';
import {
  AzurePublicDnsZone,
  AzurePublicDnsZoneProps,
  GoogleCloudDnsZone,
  GoogleCloudDnsZoneProps,
  Route53HostedZone,
  Route53HostedZoneProps,
} from './dns-zones';
import { VeleroAzureBlobStorage, VeleroAzureBlobStorageProps } from './velero-azure-blob-storage';
import { VeleroGcsStorage, VeleroGcsStorageProps } from './velero-gcs-storage';
import { VeleroS3Storage, VeleroS3StorageProps } from './velero-s3-storage';

interface CloudStackBaseProps {
  /**
   * Local state file, relative to the folder Terraform runs in (`cdktf.out/stacks/<stack id>/`).
   * The default puts it in the repository root, outside the throwaway cdktf.out/ (cdktf deletes the
   * folders of stacks that no longer exist); relative, so the synthesized JSON is identical on every
   * machine (cdktf's default is an absolute path). The state holds secrets: keep it out of git
   * (`*.tfstate` is git-ignored) and protected, or use an encrypted remote backend.
   * @default '../../../terraform.<stack id>.tfstate'
   * @see https://developer.hashicorp.com/terraform/language/backend/local
   */
  readonly statePath?: string;
}

export interface AwsPlatformStackProps extends CloudStackBaseProps {
  /** Region of the provider and of every bucket in the stack, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * Tags applied to every resource (`default_tags`).
   * @default { 'managed-by': 'infraflux' }
   */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

/** AWS provider (hashicorp/aws 6.25.0) + intent methods for Velero buckets and Route53 zones. */
export class AwsPlatformStack extends TerraformStack {
  public readonly provider: AwsProvider;
  public readonly region: string;

  public constructor(scope: Construct, id: string, props: AwsPlatformStackProps) {
    super(scope, id);
    if (!props.region) invalidProp(this, 'region is missing; give an AWS region such as eu-central-1');
    addLocalStateBackend(this, id, props.statePath);
    this.region = props.region;
    this.provider = new AwsProvider(this, 'aws', { region: props.region, defaultTags: [{ tags: { 'managed-by': 'infraflux', ...props.defaultTags } }] });
  }

  /** A Velero bucket with least-privilege credentials in this stack's region. */
  public addVeleroStorage(id: string, props: Omit<VeleroS3StorageProps, 'region'>): VeleroS3Storage {
    return new VeleroS3Storage(this, id, { ...props, region: this.region });
  }

  /** A public Route53 hosted zone (name servers as an output for delegation). */
  public addDnsZone(id: string, props: Route53HostedZoneProps): Route53HostedZone {
    return new Route53HostedZone(this, id, props);
  }
}

export interface GcpPlatformStackProps extends CloudStackBaseProps {
  /** Default project of the provider and of everything in the stack. */
  readonly projectId: string;
  /** Default region of the provider, e.g. `europe-west3`. */
  readonly region: string;
}

/** Google provider (hashicorp/google 6.50.0) + intent methods for Velero buckets and Cloud DNS zones. */
export class GcpPlatformStack extends TerraformStack {
  public readonly provider: GoogleProvider;
  public readonly projectId: string;

  public constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    if (!props.region) invalidProp(this, 'region is missing; give a Google Cloud region such as europe-west3');
    addLocalStateBackend(this, id, props.statePath);
    this.projectId = props.projectId;
    this.provider = new GoogleProvider(this, 'google', { project: props.projectId, region: props.region, defaultLabels: { 'managed-by': 'infraflux' } });
  }

  /** A Velero bucket with a least-privilege service account in this stack's project. */
  public addVeleroStorage(id: string, props: Omit<VeleroGcsStorageProps, 'projectId'>): VeleroGcsStorage {
    return new VeleroGcsStorage(this, id, { ...props, projectId: this.projectId });
  }

  /** A public Cloud DNS managed zone in this stack's project. */
  public addDnsZone(id: string, props: Omit<GoogleCloudDnsZoneProps, 'projectId'>): GoogleCloudDnsZone {
    return new GoogleCloudDnsZone(this, id, { ...props, projectId: this.projectId });
  }
}

export interface AzurePlatformStackProps extends CloudStackBaseProps {
  /**
   * Subscription to deploy into (not a secret).
   * @default - `ARM_SUBSCRIPTION_ID` from the environment
   */
  readonly subscriptionId?: string;
}

/** AzureRM provider (hashicorp/azurerm 4.55.0, Entra ID for storage) + Velero storage and Azure DNS zones. */
export class AzurePlatformStack extends TerraformStack {
  public readonly provider: AzurermProvider;

  public constructor(scope: Construct, id: string, props: AzurePlatformStackProps = {}) {
    super(scope, id);
    if (props.subscriptionId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(props.subscriptionId)) {
      invalidProp(this, `subscriptionId "${props.subscriptionId}" is not a subscription id (a lowercase UUID)`);
    }
    addLocalStateBackend(this, id, props.statePath);
    // storage_use_azuread: the accounts have shared-key access disabled, so the provider must use Entra ID too.
    this.provider = new AzurermProvider(this, 'azurerm', { features: [{}], storageUseAzuread: true, subscriptionId: props.subscriptionId });
  }

  /** A Velero storage account + container + workload identity. */
  public addVeleroStorage(id: string, props: VeleroAzureBlobStorageProps): VeleroAzureBlobStorage {
    return new VeleroAzureBlobStorage(this, id, props);
  }

  /** A public Azure DNS zone. */
  public addDnsZone(id: string, props: AzurePublicDnsZoneProps): AzurePublicDnsZone {
    return new AzurePublicDnsZone(this, id, props);
  }
}
