import { CapiProvider } from '../management/providers';
import { Command, cmd, Environment } from './command';
import { ToolRequirement, VersionConstraint } from './tools';

/** One environment variable a provider needs, and how the user gets its value. */
export interface CredentialVariable {
  readonly name: string;
  /** How to obtain it (shown when it is missing). */
  readonly howTo: string;
}

/** Props of a {@link BootstrapProvider}. */
interface BootstrapProviderProps {
  readonly name: string;
  readonly infrastructure: CapiProvider;
  readonly ipam?: CapiProvider;
  readonly credentials: readonly CredentialVariable[];
  readonly cli?: ToolRequirement;
  /** A read-only call through the provider's CLI that proves the credentials work. */
  readonly credentialCheck: (env: Environment) => Command;
  readonly credentialDocs: string;
  readonly terraform: boolean;
}

/**
 * The infrastructure a management cluster is bootstrapped on (`--provider`): its Cluster API
 * infrastructure provider (and IPAM provider), the variables `clusterctl init` needs for it, the
 * provider's CLI and a read-only call that proves the credentials are usable. Enum-like: one static
 * per provider, {@link BootstrapProvider.fromName} for the CLI.
 *
 * @see https://cluster-api.sigs.k8s.io/user/quick-start (Initialization for common providers)
 */
export class BootstrapProvider {
  /** AWS (CAPA): credentials from `clusterawsadm bootstrap credentials encode-as-profile`. */
  public static readonly AWS = new BootstrapProvider({
    name: 'aws',
    infrastructure: CapiProvider.AWS,
    credentials: [
      { name: 'AWS_REGION', howTo: 'export AWS_REGION=<region of the management cluster>' },
      { name: 'AWS_B64ENCODED_CREDENTIALS', howTo: 'export AWS_B64ENCODED_CREDENTIALS=$(clusterawsadm bootstrap credentials encode-as-profile)' },
    ],
    cli: {
      name: 'aws',
      versionCommand: cmd('aws', ['--version']),
      versionPattern: /aws-cli\/(\d+\.\d+\.\d+)/,
      supported: VersionConstraint.atLeast('2.0.0'),
      installUrl: 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
    },
    credentialCheck: () => cmd('aws', ['sts', 'get-caller-identity', '--output', 'json']),
    credentialDocs: 'https://cluster-api-aws.sigs.k8s.io/quick-start',
    terraform: false,
  });
  /** Azure (CAPZ): a service principal or workload identity for the management cluster. */
  public static readonly AZURE = new BootstrapProvider({
    name: 'azure',
    infrastructure: CapiProvider.AZURE,
    credentials: [
      { name: 'AZURE_SUBSCRIPTION_ID', howTo: 'export AZURE_SUBSCRIPTION_ID=$(az account show --query id -o tsv)' },
      { name: 'AZURE_TENANT_ID', howTo: 'export AZURE_TENANT_ID=$(az account show --query tenantId -o tsv)' },
      { name: 'AZURE_CLIENT_ID', howTo: 'export AZURE_CLIENT_ID=<appId of the service principal Cluster API uses>' },
    ],
    cli: {
      name: 'az',
      versionCommand: cmd('az', ['version', '--output', 'json']),
      versionPattern: /"azure-cli":\s*"(\d+\.\d+\.\d+)"/,
      supported: VersionConstraint.atLeast('2.60.0'),
      installUrl: 'https://learn.microsoft.com/cli/azure/install-azure-cli',
    },
    credentialCheck: () => cmd('az', ['account', 'show', '--output', 'json']),
    credentialDocs: 'https://capz.sigs.k8s.io/getting-started',
    terraform: false,
  });
  /** GCP (CAPG): a service account key, base64-encoded. */
  public static readonly GCP = new BootstrapProvider({
    name: 'gcp',
    infrastructure: CapiProvider.GCP,
    credentials: [
      { name: 'GCP_PROJECT', howTo: 'export GCP_PROJECT=<project of the management cluster>' },
      { name: 'GCP_B64ENCODED_CREDENTIALS', howTo: 'export GCP_B64ENCODED_CREDENTIALS=$(base64 -w0 < <service-account-key>.json)' },
    ],
    cli: {
      name: 'gcloud',
      versionCommand: cmd('gcloud', ['version', '--format=json']),
      versionPattern: /"Google Cloud SDK":\s*"(\d+\.\d+\.\d+)"/,
      supported: VersionConstraint.atLeast('450.0.0'),
      installUrl: 'https://cloud.google.com/sdk/docs/install',
    },
    credentialCheck: (env) => cmd('gcloud', ['projects', 'describe', env.GCP_PROJECT ?? '', '--format=value(projectId)']),
    credentialDocs: 'https://cluster-api-gcp.sigs.k8s.io/quick-start',
    terraform: false,
  });
  /** Proxmox (CAPMOX + in-cluster IPAM): an API token; `--via terraform` uses the repo's `proxmox-mgmt` stack. */
  public static readonly PROXMOX = new BootstrapProvider({
    name: 'proxmox',
    infrastructure: CapiProvider.PROXMOX,
    ipam: CapiProvider.IPAM_IN_CLUSTER,
    credentials: [
      { name: 'PROXMOX_URL', howTo: 'export PROXMOX_URL=https://<pve-host>:8006' },
      { name: 'PROXMOX_TOKEN', howTo: "export PROXMOX_TOKEN='capmox@pve!capi' (Datacenter → Permissions → API Tokens)" },
      { name: 'PROXMOX_SECRET', howTo: 'export PROXMOX_SECRET=<the token secret>' },
    ],
    // The token travels on stdin (curl --config -), never in argv.
    credentialCheck: (env) =>
      cmd('curl', ['--fail', '--silent', '--show-error', '--config', '-', `${(env.PROXMOX_URL ?? '').replace(/\/+$/, '')}/api2/json/version`], {
        stdin: `header = "Authorization: PVEAPIToken=${env.PROXMOX_TOKEN ?? ''}=${env.PROXMOX_SECRET ?? ''}"\n`,
      }),
    credentialDocs: 'https://github.com/ionos-cloud/cluster-api-provider-proxmox/blob/main/docs/Usage.md',
    terraform: true,
  });
  /** Metal3 (CAPM3 + Metal3 IPAM): an Ironic endpoint the site runs. */
  public static readonly METAL3 = new BootstrapProvider({
    name: 'metal3',
    infrastructure: CapiProvider.METAL3,
    ipam: CapiProvider.IPAM_METAL3,
    credentials: [{ name: 'IRONIC_ENDPOINT', howTo: 'export IRONIC_ENDPOINT=https://<ironic>:6385/v1/' }],
    credentialCheck: (env) => cmd('curl', ['--fail', '--silent', '--show-error', env.IRONIC_ENDPOINT ?? '']),
    credentialDocs: 'https://book.metal3.io/capm3/installation_guide',
    terraform: false,
  });

  /** All five, in the order the docs list them. */
  public static all(): BootstrapProvider[] {
    return [this.AWS, this.AZURE, this.GCP, this.PROXMOX, this.METAL3];
  }

  /** The provider named `name` (`aws`, `azure`, `gcp`, `proxmox`, `metal3`), or undefined. */
  public static fromName(name: string): BootstrapProvider | undefined {
    return this.all().find((p) => p.name === name);
  }

  public readonly name: string;
  /** The Cluster API infrastructure provider. */
  public readonly infrastructure: CapiProvider;
  /** The IPAM provider it needs, if any. */
  public readonly ipam: CapiProvider | undefined;
  /** Variables `clusterctl init` and the preflight need. */
  public readonly credentials: readonly CredentialVariable[];
  /** The provider's own CLI, used by the credential check. */
  public readonly cli: ToolRequirement | undefined;
  /** Where the provider documents its credentials. */
  public readonly credentialDocs: string;
  /** Whether `--via terraform` is available (the repo has a CDKTF stack for it). */
  public readonly supportsTerraform: boolean;
  private readonly check: (env: Environment) => Command;

  private constructor(props: BootstrapProviderProps) {
    this.name = props.name;
    this.infrastructure = props.infrastructure;
    this.ipam = props.ipam;
    this.credentials = props.credentials;
    this.cli = props.cli;
    this.credentialDocs = props.credentialDocs;
    this.supportsTerraform = props.terraform;
    this.check = props.credentialCheck;
  }

  /** The read-only call that proves the credentials in `env` are usable. */
  public credentialCheck(env: Environment): Command {
    return this.check(env);
  }

  public toString(): string {
    return this.name;
  }
}

/** How the management cluster's machines are created (`--via`). */
export class BootstrapVia {
  /** Cluster API from an ephemeral kind cluster, then `clusterctl move` (every provider). */
  public static readonly CLUSTER_API = new BootstrapVia('clusterctl');
  /** The repository's CDKTF stack (`proxmox-mgmt`), then Flux; no kind cluster holds Cluster API. */
  public static readonly TERRAFORM = new BootstrapVia('terraform');

  public static fromName(name: string): BootstrapVia | undefined {
    return [this.CLUSTER_API, this.TERRAFORM].find((v) => v.name === name);
  }

  private constructor(public readonly name: string) {}

  public toString(): string {
    return this.name;
  }
}
